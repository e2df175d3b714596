//! How the window's WebKitGTK draws: in software, without accelerated compositing, and with
//! as few probes for a GL driver as keep the page right. The daemon starts the window with this environment; the window, started
//! any other way, starts itself again with it (WebKit and GTK read it as they start).
//!
//! Our page is a few static panels and one countdown. Compositing only adds graphics buffers
//! and start-up time (click to first paint on Xvfb: median 365 ms with it, 260 ms without).
//! Without it, three probes still load Mesa into the window's process (its GL library, the
//! software rasteriser and LLVM: about 20 MiB of the window's tree on Xvfb). Two are turned
//! off here:
//! - GTK looks for GLX as it opens the display (`GDK_GL=disable`);
//! - WebKit asks EGL whether it can share DMA-BUF buffers (`WEBKIT_DISABLE_DMABUF_RENDERER`).
//!
//! The third stays: WebKit asks EGL for the render device it would share buffers through.
//! Naming one (`WEBKIT_WEB_RENDER_DEVICE_FILE`) skips the question, but WebKitGTK 2.50 then
//! draws every page light, whatever the desktop's dark preference (`docs/decisions.md`).
//! WebKit's web process sets up EGL whatever it is told (it stops if it cannot), so it loads
//! Mesa in any case.

use std::ffi::OsString;

/// WebKit's switch for accelerated compositing.
pub const NO_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What to add to an environment read through `get` (a variable's value, if set) for the window
/// to draw in software: each variable the environment does not set already. A person who set
/// `WEBKIT_DISABLE_COMPOSITING_MODE=0` wants compositing, and GL with it: nothing is added then.
/// Any other value turns compositing off in WebKit, as ours does (`1` is the usual advice, and
/// what earlier versions of Unslouch set alone), so the rest is added.
pub fn software_drawing(
    get: impl Fn(&str) -> Option<OsString>,
) -> Vec<(&'static str, &'static str)> {
    if get(NO_COMPOSITING).is_some_and(|v| v == "0") {
        return Vec::new();
    }
    [(NO_COMPOSITING, "1"), ("GDK_GL", "disable"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        .into_iter()
        .filter(|(name, _)| get(name).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_environment_without_any_gets_all_three() {
        let set = software_drawing(|_| None);
        assert_eq!(
            set,
            [
                ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
                ("GDK_GL", "disable"),
                ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
            ]
        );
    }

    #[test]
    fn a_variable_already_set_is_kept() {
        let set = software_drawing(|name| (name == "GDK_GL").then(|| "gles".into()));
        assert!(!set.iter().any(|(name, _)| *name == "GDK_GL"), "{set:?}");
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn compositing_already_off_still_gets_gl_kept_out() {
        // As an earlier daemon started it, or as a person following the usual advice.
        let set = software_drawing(|name| (name == NO_COMPOSITING).then(|| "1".into()));
        assert_eq!(set, [("GDK_GL", "disable"), ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),]);
    }

    #[test]
    fn a_person_who_chose_compositing_gets_nothing_added() {
        let set = software_drawing(|name| (name == NO_COMPOSITING).then(|| "0".into()));
        assert!(set.is_empty(), "{set:?}");
    }
}
