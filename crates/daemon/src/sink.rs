//! Where an adapter sends what happened: a handle to the driver's queue that takes the adapter's
//! own event type. The driver decides, when it hands one out, what message each event becomes,
//! so no adapter knows the driver.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

/// Takes events of type `E`.
pub struct Sink<E>(Arc<dyn Fn(E) -> bool + Send + Sync>);

impl<E: 'static> Sink<E> {
    /// Events go into `queue`, each made a message by `wrap`.
    pub fn new<M: Send + 'static>(queue: UnboundedSender<M>, wrap: fn(E) -> M) -> Sink<E> {
        Sink(Arc::new(move |event| queue.send(wrap(event)).is_ok()))
    }

    /// Send an event; `false` when nobody listens any more (the daemon is stopping).
    pub fn send(&self, event: E) -> bool {
        (self.0)(event)
    }
}

impl<E> Clone for Sink<E> {
    fn clone(&self) -> Sink<E> {
        Sink(self.0.clone())
    }
}

impl<E> std::fmt::Debug for Sink<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sink")
    }
}
