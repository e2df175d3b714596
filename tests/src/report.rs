//! Writing a benchmark's figures into a page that is also written by hand: the figures go
//! between two markers of their own, and what is around them stays.

use std::path::Path;

/// The markers around one benchmark's part of a page: `<!-- NAME:begin … -->` and
/// `<!-- NAME:end -->`, each on a line of its own.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub begin: &'static str,
    pub end: &'static str,
}

/// `old` with what lies between `part`'s markers replaced by `report`; a page without them
/// (`None`) is not to be written over. An empty or missing page gets the part alone.
pub fn splice(old: &str, part: Part, report: &str) -> Option<String> {
    let Part { begin, end } = part;
    if old.is_empty() {
        return Some(format!("{begin}{report}{end}"));
    }
    let b = old.find(begin)?;
    let e = b + old[b..].find(end)?;
    Some(format!("{}{begin}{report}{}", &old[..b], &old[e..]))
}

/// Write `report` into `out` between `part`'s markers. A page that exists without them is left
/// as it is and the report goes beside it (`NAME.new.md`); returns where it went.
pub fn write(out: &Path, part: Part, report: &str) -> std::path::PathBuf {
    let old = match std::fs::read_to_string(out) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => panic!("cannot read {}: {e}", out.display()),
    };
    let (path, text) = match splice(&old, part, report) {
        Some(text) => (out.to_path_buf(), text),
        None => (out.with_extension("new.md"), report.to_string()),
    };
    std::fs::write(&path, text).expect("the report is written");
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    const PART: Part = Part { begin: "<!-- x:begin -->\n", end: "<!-- x:end -->\n" };

    #[test]
    fn only_what_lies_between_the_markers_is_replaced() {
        let old = "by hand\n<!-- x:begin -->\nold figures\n<!-- x:end -->\nafter\n";
        assert_eq!(
            splice(old, PART, "new\n").unwrap(),
            "by hand\n<!-- x:begin -->\nnew\n<!-- x:end -->\nafter\n"
        );
    }

    #[test]
    fn a_page_without_the_markers_is_not_written_over() {
        assert_eq!(splice("by hand only\n", PART, "new\n"), None);
        assert_eq!(splice("", PART, "new\n").unwrap(), "<!-- x:begin -->\nnew\n<!-- x:end -->\n");
    }
}
