//! Zoom and pan for the SVG views (the graph, the timeline): the drawing
//! fits its panel by default (the SVG's `viewBox` is the whole drawing, and
//! `preserveAspectRatio` scales it to the panel); buttons, the wheel, a pinch
//! and the keyboard zoom, a drag pans, and "Fit" goes back.
//!
//! What the view tells its user ([`Zoom`]): the `viewBox`, the region worth
//! drawing (a view of a big plan draws only what is near the panel: the
//! region changes only when the view leaves it, so most moves redraw
//! nothing but the `viewBox`), and whether text is big enough to read.
//! The geometry is pure and tested; the hook only measures and listens.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, PointerEvent, ResizeObserver, WheelEvent};
use yew::prelude::*;

/// A rectangle in drawing units: a `viewBox`, the box around a node or a bar.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// The smallest rectangle around `points` (empty at the origin for none).
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Rect {
        let mut it = points.into_iter();
        let Some((x0, y0)) = it.next() else { return Rect::new(0.0, 0.0, 0.0, 0.0) };
        let (mut x1, mut y1, mut x2, mut y2) = (x0, y0, x0, y0);
        for (x, y) in it {
            (x1, y1, x2, y2) = (x1.min(x), y1.min(y), x2.max(x), y2.max(y));
        }
        Rect::new(x1, y1, x2 - x1, y2 - y1)
    }

    fn right(&self) -> f64 {
        self.x + self.w
    }

    fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn intersects(&self, other: &Rect) -> bool {
        self.x <= other.right() && other.x <= self.right() && self.y <= other.bottom() && other.y <= self.bottom()
    }

    pub fn contains(&self, other: &Rect) -> bool {
        self.x <= other.x && other.right() <= self.right() && self.y <= other.y && other.bottom() <= self.bottom()
    }

    /// This rectangle with `by` times its size added on every side.
    pub fn grown(&self, by: f64) -> Rect {
        Rect::new(self.x - by * self.w, self.y - by * self.h, self.w * (1.0 + 2.0 * by), self.h * (1.0 + 2.0 * by))
    }

    fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// As an SVG `viewBox` value.
    pub fn view_box(&self) -> String {
        format!("{:.2} {:.2} {:.2} {:.2}", self.x, self.y, self.w, self.h)
    }
}

/// Most pixels per drawing unit, zoomed all the way in.
const MAX_SCALE: f64 = 4.0;
/// Zoomed all the way out, the whole drawing takes this share of the panel.
const MIN_SHARE: f64 = 0.5;
/// Text is drawn from this many pixels per unit up (below, 12 px text would
/// be under 4 px: only shapes are drawn, with their titles).
pub const DETAIL_SCALE: f64 = 0.35;
/// One press of a button or a key zooms by this much.
const STEP: f64 = 1.5;
/// The panel's size before it is measured, in pixels.
const GUESS: (f64, f64) = (720.0, 480.0);
/// A press that moves less than this many pixels is a click, not a drag.
const DRAG_PX: f64 = 4.0;

/// What a box of `px` pixels shows of `view` with `preserveAspectRatio`
/// "xMidYMid meet": the view, widened or heightened about its centre to the
/// box's shape.
pub fn shown(view: Rect, px: (f64, f64)) -> Rect {
    let (pw, ph) = px;
    if !(pw > 0.0 && ph > 0.0 && view.w > 0.0 && view.h > 0.0) {
        return view;
    }
    let scale = (pw / view.w).min(ph / view.h);
    let (w, h) = (pw / scale, ph / scale);
    Rect::new(view.x - (w - view.w) / 2.0, view.y - (h - view.h) / 2.0, w, h)
}

/// `from` (a shown view) zoomed by `factor` (over 1 is closer) about the
/// point `at`, which stays where it is on screen; within the limits for the
/// drawing `content` in a box of `px` pixels.
pub fn zoom(from: Rect, factor: f64, at: (f64, f64), content: Rect, px: (f64, f64)) -> Rect {
    let widest = shown(content, px).w / MIN_SHARE;
    let narrowest = (px.0 / MAX_SCALE).min(widest);
    let w = (from.w / factor).clamp(narrowest, widest);
    let f = w / from.w;
    Rect::new(at.0 - (at.0 - from.x) * f, at.1 - (at.1 - from.y) * f, w, from.h * f)
}

/// `from` moved by `(dx, dy)` drawing units, its centre kept over the drawing.
pub fn pan(from: Rect, dx: f64, dy: f64, content: Rect) -> Rect {
    let (cx, cy) = from.center();
    let to_x = (cx + dx).clamp(content.x, content.x + content.w.max(0.0));
    let to_y = (cy + dy).clamp(content.y, content.y + content.h.max(0.0));
    Rect::new(from.x + to_x - cx, from.y + to_y - cy, from.w, from.h)
}

/// The region to draw for `view`: the one drawn before while it still holds
/// the view and is not far bigger, else the view and half of it again on
/// every side.
pub fn region(before: Option<Rect>, view: Rect) -> Rect {
    match before {
        Some(r) if r.contains(&view) && r.w * r.h <= 16.0 * view.w * view.h => r,
        _ => view.grown(0.5),
    }
}

/// The view's geometry at the moment of an event.
struct Geometry {
    /// The part of the drawing in the box now.
    shown: Rect,
    content: Rect,
    /// The box: its left and top on screen, and its size, in pixels.
    left: f64,
    top: f64,
    px: (f64, f64),
}

impl Geometry {
    fn scale(&self) -> f64 {
        if self.shown.w > 0.0 { self.px.0 / self.shown.w } else { 1.0 }
    }

    /// A point on screen (client pixels) in drawing units.
    fn at(&self, client_x: f64, client_y: f64) -> (f64, f64) {
        let s = self.scale();
        (self.shown.x + (client_x - self.left) / s, self.shown.y + (client_y - self.top) / s)
    }

    fn zoomed(&self, factor: f64, at: (f64, f64)) -> Option<Rect> {
        Some(zoom(self.shown, factor, at, self.content, self.px))
    }

    /// Moved by `(dx, dy)` screen pixels (the drawing follows the pointer).
    fn panned(&self, dx: f64, dy: f64) -> Option<Rect> {
        let s = self.scale();
        Some(pan(self.shown, -dx / s, -dy / s, self.content))
    }
}

/// Pointers down on the view: each one's id and last position, and whether
/// they have moved far enough to be a drag.
#[derive(Default)]
struct Pointers {
    down: Vec<(i32, f64, f64)>,
    moved: f64,
    dragging: bool,
}

/// A change of the view: the new view from the geometry now (`None`: fit).
type Move<'a> = &'a dyn Fn(&Geometry) -> Option<Rect>;
/// Applies a [`Move`] and redraws.
type Change = Rc<dyn Fn(Move<'_>)>;

/// The zoom of one view, for its component to draw with.
pub struct Zoom {
    /// The `viewBox`.
    pub view: Rect,
    /// What is worth drawing: `None` for everything.
    pub region: Option<Rect>,
    /// Whether text is big enough to read.
    pub detail: bool,
    scale: f64,
    fitted: bool,
    content: Rect,
    svg: NodeRef,
    change: Change,
    pointers: Rc<RefCell<Pointers>>,
}

#[hook]
pub fn use_zoom(content: Rect) -> Zoom {
    let svg = use_node_ref();
    // The user's view (`None`: fitted). Kept in a cell, not a state, so that
    // events between two renders build on each other.
    let user: Rc<RefCell<Option<Rect>>> = use_mut_ref(|| None);
    let drawn: Rc<RefCell<Option<Rect>>> = use_mut_ref(|| None);
    let pointers: Rc<RefCell<Pointers>> = use_mut_ref(Pointers::default);
    let size = use_state_eq(|| None::<(f64, f64)>);
    let redraw = use_force_update();
    {
        // The panel's size, now and whenever it changes (the SVG is not
        // there while the view has nothing to draw, so look after each render).
        let (svg, size) = (svg.clone(), size.setter());
        let watching: Rc<RefCell<Option<Watch>>> = use_mut_ref(|| None);
        use_effect(move || {
            let el = svg.cast::<Element>();
            let same = watching.borrow().as_ref().map(|w| &w.element) == el.as_ref();
            if !same {
                *watching.borrow_mut() = el.and_then(|el| Watch::new(el, size));
            }
        });
    }
    let px = size.unwrap_or(GUESS);
    // A view that no longer shows any of the drawing (the plan changed) is dropped.
    let current = user.borrow().filter(|v| v.intersects(&content));
    let view = current.unwrap_or(content);
    let on_screen = shown(view, px);
    let region = current.map(|_| {
        let r = region(*drawn.borrow(), on_screen);
        *drawn.borrow_mut() = Some(r);
        r
    });
    if region.is_none() {
        *drawn.borrow_mut() = None;
    }
    let change = {
        let (svg, user) = (svg.clone(), user.clone());
        Rc::new(move |f: Move<'_>| {
            let Some(r) = svg.cast::<Element>().map(|e| e.get_bounding_client_rect()) else { return };
            let px = if r.width() > 0.0 && r.height() > 0.0 { (r.width(), r.height()) } else { GUESS };
            let from = user.borrow().filter(|v| v.intersects(&content)).unwrap_or(content);
            let g = Geometry { shown: shown(from, px), content, left: r.left(), top: r.top(), px };
            let next = f(&g);
            *user.borrow_mut() = next;
            redraw.force_update();
        })
    };
    Zoom {
        view,
        region,
        detail: px.0 / on_screen.w.max(1e-9) >= DETAIL_SCALE,
        scale: px.0 / on_screen.w.max(1e-9),
        fitted: current.is_none(),
        content,
        svg,
        change,
        pointers,
    }
}

fn svg_element(svg: &NodeRef) -> Option<Element> {
    svg.cast::<Element>()
}

/// A `ResizeObserver` on the view's SVG, telling its size; disconnected when dropped.
struct Watch {
    element: Element,
    observer: ResizeObserver,
    _measure: Closure<dyn FnMut()>,
}

impl Watch {
    fn new(element: Element, size: UseStateSetter<Option<(f64, f64)>>) -> Option<Watch> {
        let el = element.clone();
        let measure = Closure::<dyn FnMut()>::new(move || {
            let r = el.get_bounding_client_rect();
            size.set(Some((r.width().round(), r.height().round())));
        });
        let observer = ResizeObserver::new(measure.as_ref().unchecked_ref()).ok()?;
        observer.observe(&element);
        Some(Watch { element, observer, _measure: measure })
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

impl Zoom {
    /// The buttons: zoom out, the zoom level, zoom in, fit. `what` names the
    /// view for screen readers ("Zoom the graph").
    pub fn bar(&self, what: &'static str) -> Html {
        let by = |factor: f64| {
            let change = self.change.clone();
            Callback::from(move |_: MouseEvent| change(&|g| g.zoomed(factor, g.shown.center())))
        };
        let fit = {
            let change = self.change.clone();
            Callback::from(move |_: MouseEvent| change(&|_| None))
        };
        html! {
            <div class="zoom-bar" role="toolbar" aria-label={what}>
                <button class="zoom-out" onclick={by(1.0 / STEP)} aria-label="Zoom out" title="Zoom out (−)">{ "−" }</button>
                <output class="zoom-level" aria-live="polite" aria-label="Zoom level">{ format!("{:.0}%", self.scale * 100.0) }</output>
                <button class="zoom-in" onclick={by(STEP)} aria-label="Zoom in" title="Zoom in (+)">{ "+" }</button>
                <button class="zoom-fit" onclick={fit} aria-pressed={if self.fitted { "true" } else { "false" }} aria-label="Fit it all in the panel" title="Fit (0)">{ "Fit" }</button>
                <span class="muted zoom-help">{ "Drag to move, wheel or pinch to zoom; keys + − 0 and arrows." }</span>
            </div>
        }
    }

    /// The view itself: an SVG of `body` under this zoom, in a box that
    /// listens to the pointer, the wheel and the keyboard.
    pub fn frame(&self, label: String, body: Html) -> Html {
        let change = self.change.clone();
        let onwheel = {
            let change = change.clone();
            Callback::from(move |e: WheelEvent| {
                e.prevent_default();
                let unit = match e.delta_mode() {
                    1 => 16.0,
                    2 => 400.0,
                    _ => 1.0,
                };
                let (dx, dy) = (e.delta_x() * unit, e.delta_y() * unit);
                let (cx, cy) = (f64::from(e.client_x()), f64::from(e.client_y()));
                if e.shift_key() || dx.abs() > dy.abs() {
                    change(&|g| g.panned(-dx - if e.shift_key() { dy } else { 0.0 }, 0.0));
                } else {
                    // A notch of a mouse wheel (100 px) zooms by a quarter; a
                    // pinch on a touchpad comes as the wheel with Ctrl, in small steps.
                    let step = (dy.abs() / if e.ctrl_key() { 100.0 } else { 400.0 }).min(1.0);
                    let factor = if dy < 0.0 { 1.0 + step } else { 1.0 / (1.0 + step) };
                    change(&|g| g.zoomed(factor, g.at(cx, cy)));
                }
            })
        };
        let onpointerdown = {
            let pointers = self.pointers.clone();
            Callback::from(move |e: PointerEvent| {
                if e.pointer_type() == "mouse" && e.button() != 0 {
                    return;
                }
                let mut p = pointers.borrow_mut();
                if p.down.is_empty() {
                    p.moved = 0.0;
                    p.dragging = false;
                }
                p.down.retain(|d| d.0 != e.pointer_id());
                p.down.push((e.pointer_id(), f64::from(e.client_x()), f64::from(e.client_y())));
            })
        };
        let onpointermove = {
            let (pointers, change, svg) = (self.pointers.clone(), change.clone(), self.svg.clone());
            Callback::from(move |e: PointerEvent| {
                let (id, x, y) = (e.pointer_id(), f64::from(e.client_x()), f64::from(e.client_y()));
                let mut p = pointers.borrow_mut();
                let Some(k) = p.down.iter().position(|d| d.0 == id) else { return };
                let before = p.down.clone();
                p.down[k] = (id, x, y);
                p.moved += (x - before[k].1).abs() + (y - before[k].2).abs();
                if !p.dragging && (p.moved > DRAG_PX || p.down.len() > 1) {
                    p.dragging = true;
                    // From here the view has the pointer: the press is no click.
                    if let Some(el) = svg_element(&svg) {
                        let _ = el.set_pointer_capture(id);
                    }
                }
                if !p.dragging {
                    return;
                }
                let after = p.down.clone();
                drop(p);
                if let ([a0, b0, ..], [a1, b1, ..]) = (&before[..], &after[..]) {
                    // Two fingers: zoom by how far apart they moved, about their middle.
                    let spread = |a: &(i32, f64, f64), b: &(i32, f64, f64)| {
                        ((a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)).sqrt().max(1.0)
                    };
                    let factor = spread(a1, b1) / spread(a0, b0);
                    let (mx0, my0) = ((a0.1 + b0.1) / 2.0, (a0.2 + b0.2) / 2.0);
                    let (mx1, my1) = ((a1.1 + b1.1) / 2.0, (a1.2 + b1.2) / 2.0);
                    change(&|g| {
                        let z = g.zoomed(factor, g.at(mx1, my1))?;
                        let s = g.px.0 / z.w;
                        Some(pan(z, -(mx1 - mx0) / s, -(my1 - my0) / s, g.content))
                    });
                } else {
                    change(&|g| g.panned(x - before[k].1, y - before[k].2));
                }
            })
        };
        let lift = {
            let pointers = self.pointers.clone();
            Callback::from(move |e: PointerEvent| pointers.borrow_mut().down.retain(|d| d.0 != e.pointer_id()))
        };
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            // A key zooms by a step, moves an eighth of the panel, or fits.
            let (zoom_by, dx, dy) = match e.key().as_str() {
                "+" | "=" => (Some(STEP), 0.0, 0.0),
                "-" | "_" => (Some(1.0 / STEP), 0.0, 0.0),
                "0" => (None, 0.0, 0.0),
                "ArrowLeft" => (Some(1.0), 1.0, 0.0),
                "ArrowRight" => (Some(1.0), -1.0, 0.0),
                "ArrowUp" => (Some(1.0), 0.0, 1.0),
                "ArrowDown" => (Some(1.0), 0.0, -1.0),
                _ => return,
            };
            e.prevent_default();
            change(&|g| {
                let z = g.zoomed(zoom_by?, g.shown.center())?;
                let s = g.px.0 / z.w;
                Some(pan(z, -dx * g.px.0 / 8.0 / s, -dy * g.px.1 / 8.0 / s, g.content))
            });
        });
        // The box takes the drawing's shape, as far as the panel lets it.
        let shape = format!("aspect-ratio: {:.0} / {:.0}", self.content.w.max(1.0), self.content.h.max(1.0));
        html! {
            <div class="zoom-view" style={shape} tabindex="0" role="group" aria-label={format!("{label}. Keys: + and − zoom, arrows move, 0 fits.")}
                 {onwheel} {onpointerdown} {onpointermove} onpointerup={lift.clone()} onpointercancel={lift} {onkeydown}>
                <svg ref={self.svg.clone()} viewBox={self.view.view_box()} preserveAspectRatio="xMidYMid meet"
                     width="100%" height="100%" role="none">
                    { body }
                </svg>
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const WIDE: Rect = Rect::new(0.0, -12.0, 2448.0, 300.0);

    #[test]
    fn a_wide_drawing_fits_a_box_by_its_width() {
        let s = shown(WIDE, (731.0, 500.0));
        assert!((s.w - 2448.0).abs() < 1e-9);
        assert!((s.h - 2448.0 * 500.0 / 731.0).abs() < 1e-6);
        // Centred: as much room above as below.
        assert!(((s.y + s.h / 2.0) - (WIDE.y + WIDE.h / 2.0)).abs() < 1e-6);
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer_and_stops_at_the_limits() {
        let px = (731.0, 500.0);
        let s = shown(WIDE, px);
        let at = (600.0, 100.0);
        let z = zoom(s, 2.0, at, WIDE, px);
        assert!((z.w - s.w / 2.0).abs() < 1e-6);
        // The point keeps its place in the box.
        assert!(((at.0 - z.x) / z.w - (at.0 - s.x) / s.w).abs() < 1e-9);
        assert!(((at.1 - z.y) / z.h - (at.1 - s.y) / s.h).abs() < 1e-9);
        // All the way in: MAX_SCALE pixels per unit; all the way out: the drawing at half the box.
        assert!((zoom(s, 1e9, at, WIDE, px).w - px.0 / MAX_SCALE).abs() < 1e-6);
        assert!((zoom(s, 1e-9, at, WIDE, px).w - s.w / MIN_SHARE).abs() < 1e-6);
    }

    #[test]
    fn pan_keeps_the_view_over_the_drawing() {
        let v = Rect::new(100.0, 0.0, 200.0, 100.0);
        assert_eq!(pan(v, 50.0, 0.0, WIDE), Rect::new(150.0, 0.0, 200.0, 100.0));
        let far = pan(v, 1e6, 1e6, WIDE);
        assert_eq!((far.x + far.w / 2.0, far.y + far.h / 2.0), (WIDE.x + WIDE.w, WIDE.y + WIDE.h));
    }

    #[test]
    fn the_region_drawn_changes_only_when_the_view_leaves_it() {
        let v = Rect::new(1000.0, 0.0, 200.0, 100.0);
        let r = region(None, v);
        assert_eq!(r, Rect::new(900.0, -50.0, 400.0, 200.0));
        // A small pan stays inside: nothing to redraw.
        assert_eq!(region(Some(r), Rect::new(1050.0, 20.0, 200.0, 100.0)), r);
        // Out of it, or zoomed far in: a new region.
        assert_ne!(region(Some(r), Rect::new(1250.0, 0.0, 200.0, 100.0)), r);
        assert_ne!(region(Some(r), Rect::new(1000.0, 0.0, 20.0, 10.0)), r);
        assert!(r.intersects(&Rect::new(1299.0, 149.0, 10.0, 10.0)));
        assert!(!r.intersects(&Rect::new(1301.0, 0.0, 10.0, 10.0)));
    }
}
