//! Just enough Markdown for the rules' docs: `##` headings, fenced code,
//! paragraphs and `inline code`. Everything is text: nothing is parsed as HTML.

use yew::prelude::*;

pub fn render(doc: &str) -> Html {
    let mut blocks: Vec<Html> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Html>| {
        if !paragraph.is_empty() {
            let text = paragraph.join(" ");
            blocks.push(html! { <p>{ inline(&text) }</p> });
            paragraph.clear();
        }
    };
    for line in doc.lines() {
        if let Some(lines) = code.as_mut() {
            if line.starts_with("```") {
                let body = lines.join("\n");
                blocks.push(html! { <pre><code>{ body }</code></pre> });
                code = None;
            } else {
                lines.push(line);
            }
        } else if line.starts_with("```") {
            flush(&mut paragraph, &mut blocks);
            code = Some(Vec::new());
        } else if let Some(h) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut blocks);
            blocks.push(html! { <h5>{ h }</h5> });
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else {
            paragraph.push(line.trim());
        }
    }
    flush(&mut paragraph, &mut blocks);
    html! { <>{ for blocks }</> }
}

/// Text with `code` spans.
pub fn inline(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }
    });
    html! { <>{ for parts }</> }
}
