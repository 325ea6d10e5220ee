//! The plan's text: a plain textarea over a layer that underlines each
//! finding's span, with line numbers and a marker per line that has findings.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::JsValue;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::importer::paste_to_import;
use super::ptr::Ptr;
use retreat_core::{Analysis, Diagnostic, LineIndex, Severity, Span};

/// Line height in pixels; the stylesheet uses the same.
const LINE_PX: f64 = 20.0;
/// Quiet time after the last keystroke before the plan is analysed again.
const DEBOUNCE_MS: u32 = 120;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: Ptr<String>,
    /// The text's analysis, for its diagnostics.
    pub analysis: Ptr<Analysis>,
    /// Where to put the cursor (and a counter to repeat a jump).
    pub jump: Option<(Span, u64)>,
    pub on_edit: Callback<String>,
    /// A paste that is a spreadsheet range or a Markdown checklist, not
    /// plan text (`importer::paste_to_import`): it is not pasted but handed
    /// here to import.
    pub on_paste: Callback<JsValue>,
}

/// Byte offset to a JavaScript string index (UTF-16 code units).
pub fn utf16_offset(text: &str, byte: u32) -> u32 {
    let byte = (byte as usize).min(text.len());
    let mut b = byte;
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].encode_utf16().count() as u32
}

/// The text cut at every span boundary, each piece with the most serious
/// finding covering it. Empty spans cover the character they point at.
fn segments(text: &str, diagnostics: &[Diagnostic]) -> Vec<(usize, usize, Option<Severity>)> {
    let len = text.len();
    let mut marks: Vec<(usize, usize, Severity)> = diagnostics
        .iter()
        .map(|d| {
            let start = (d.span.start as usize).min(len);
            let mut end = (d.span.end as usize).min(len).max(start);
            if end == start {
                end = text[start..].char_indices().nth(1).map_or(len, |(i, _)| start + i);
            }
            (start, end, d.severity)
        })
        .filter(|(s, e, _)| s < e && text.is_char_boundary(*s) && text.is_char_boundary(*e))
        .collect();
    marks.sort_unstable();
    let mut cuts: Vec<usize> = marks.iter().flat_map(|&(s, e, _)| [s, e]).chain([0, len]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let worst = marks.iter().filter(|m| m.0 <= a && b <= m.1).map(|m| m.2).max();
            (a, b, worst)
        })
        .collect()
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let layer = use_node_ref();
    let gutter = use_node_ref();
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    // The last text this editor sent up: when it comes back down as the
    // state's text, the textarea already shows it, or more typed since.
    let sent: Rc<RefCell<String>> = use_mut_ref(String::new);

    // Text from outside (an example, a link, a restored draft) replaces what
    // the textarea shows; the user's own typing is already there, and may
    // have gone on while the analysis of what was sent ran (writing the
    // sent text back would lose the keys typed since).
    {
        let area = area.clone();
        let sent = sent.clone();
        use_effect_with(props.text.clone(), move |text| {
            if **text == *sent.borrow() {
                return;
            }
            // From outside: what was sent before no longer says what is shown.
            sent.borrow_mut().clear();
            if let Some(el) = area.cast::<HtmlTextAreaElement>()
                && el.value() != **text
            {
                el.set_value(text);
            }
        });
    }
    {
        let area = area.clone();
        let text = props.text.clone();
        use_effect_with(props.jump, move |jump| {
            if let (Some((span, _)), Some(el)) = (jump, area.cast::<HtmlTextAreaElement>()) {
                let start = utf16_offset(&text, span.start);
                let end = utf16_offset(&text, span.end.max(span.start));
                let _ = el.focus();
                let _ = el.set_selection_range(start, end);
                let line = LineIndex::new(&text).line_col(span.start).line;
                let top = (f64::from(line) - 1.0) * LINE_PX - f64::from(el.client_height()) / 3.0;
                el.set_scroll_top(top.max(0.0) as i32);
            }
        });
    }
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            let on_edit = on_edit.clone();
            let value = el.value();
            let sent = sent.clone();
            *pending.borrow_mut() = Some(Timeout::new(DEBOUNCE_MS, move || {
                sent.borrow_mut().clone_from(&value);
                on_edit.emit(value)
            }));
        })
    };
    let onpaste = {
        let on_paste = props.on_paste.clone();
        Callback::from(move |e: Event| {
            let paste = paste_to_import(&e);
            if !paste.is_undefined() {
                on_paste.emit(paste);
            }
        })
    };
    let onscroll = {
        let (layer, gutter) = (layer.clone(), gutter.clone());
        Callback::from(move |e: Event| {
            let el: HtmlTextAreaElement = e.target_unchecked_into();
            for other in [&layer, &gutter] {
                if let Some(o) = other.cast::<web_sys::Element>() {
                    o.set_scroll_top(el.scroll_top());
                }
            }
            if let Some(o) = layer.cast::<web_sys::Element>() {
                o.set_scroll_left(el.scroll_left());
            }
        })
    };

    let text: &str = &props.text;
    let index = LineIndex::new(text);
    let lines = text.split('\n').count();
    let mut worst_on_line: Vec<Option<Severity>> = vec![None; lines + 1];
    let mut notes_on_line: Vec<Vec<String>> = vec![Vec::new(); lines + 1];
    for d in &props.analysis.diagnostics {
        let l = index.line_col(d.span.start).line as usize;
        if let Some(w) = worst_on_line.get_mut(l) {
            *w = (*w).max(Some(d.severity));
            notes_on_line[l].push(format!("{} {}", d.code, d.message));
        }
    }
    let gutter_lines = (1..=lines).map(|l| {
        let mark = worst_on_line[l].map(Severity::as_str);
        html! {
            <div class={classes!("line-number", mark)} title={notes_on_line[l].join("\n")}>
                { l }
            </div>
        }
    });
    let pieces = segments(text, &props.analysis.diagnostics).into_iter().map(|(a, b, worst)| {
        let piece = &text[a..b];
        match worst {
            Some(s) => html! { <mark class={s.as_str()}>{ piece }</mark> },
            None => html! { { piece } },
        }
    });

    html! {
        <div class="editor-frame">
            <div class="gutter" ref={gutter} aria-hidden="true">{ for gutter_lines }</div>
            <div class="editor-stack">
                <pre class="highlight" ref={layer} aria-hidden="true">{ for pieces }{ "\n " }</pre>
                <textarea
                    ref={area}
                    class="source"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    aria-label="Plan text, YAML or JSON"
                    {oninput}
                    {onpaste}
                    {onscroll}
                />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use retreat_core::Diagnostic;

    fn d(start: u32, end: u32, severity: Severity) -> Diagnostic {
        Diagnostic::new("R001", severity, Span::new(start, end), "m")
    }

    #[test]
    fn segments_cover_the_text_with_the_worst_severity() {
        let text = "abcdef";
        let segs = segments(text, &[d(1, 4, Severity::Warning), d(2, 3, Severity::Error), d(5, 5, Severity::Info)]);
        assert_eq!(
            segs,
            [
                (0, 1, None),
                (1, 2, Some(Severity::Warning)),
                (2, 3, Some(Severity::Error)),
                (3, 4, Some(Severity::Warning)),
                (4, 5, None),
                (5, 6, Some(Severity::Info)),
            ]
        );
    }

    #[test]
    fn offsets_count_utf16_units() {
        assert_eq!(utf16_offset("a😀b", 5), 3);
        assert_eq!(utf16_offset("é", 1), 0);
    }
}
