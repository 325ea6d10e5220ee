//! [`Ptr`]: a value shared by reference counting that is equal only to its
//! own clones. The state and the props hold the text and the analysis this
//! way, so `#[derive(PartialEq)]` on them compares two pointers instead of
//! two plans (an `Analysis` has no `PartialEq` at all).

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

pub struct Ptr<T>(Rc<T>);

impl<T> Ptr<T> {
    pub fn new(value: T) -> Ptr<T> {
        Ptr(Rc::new(value))
    }
}

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Ptr<T> {
        Ptr(self.0.clone())
    }
}

/// The same allocation: a clone of this `Ptr`, not merely an equal value.
impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Ptr<T>) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Ptr<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Ptr<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
