//! The compiled-in exercise catalog is complete and sensible.

use std::collections::HashSet;

use unslouch_core::routines::{Catalog, CatalogError, Equipment, Position};

#[test]
fn the_builtin_catalog_parses_and_validates() {
    let catalog = Catalog::builtin();
    catalog.validate().expect("valid");
    assert!(catalog.moves.len() >= 30, "{} moves", catalog.moves.len());
    let ids: HashSet<&str> = catalog.moves.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), catalog.moves.len(), "ids are unique");
}

#[test]
fn every_desk_move_the_guide_names_is_marked_for_micro_breaks() {
    let catalog = Catalog::builtin();
    let micro = [
        "chin-tuck",
        "shoulder-blade-squeeze",
        "band-pull-apart",
        "shoulder-roll",
        "neck-roll",
        "arm-circle",
        "overhead-side-reach",
        "chair-rotation",
        "thoracic-extension",
        "wall-angel",
        "doorway-chest-stretch",
        "upper-trap-stretch",
        "levator-scapulae-stretch",
        "band-face-pull",
    ];
    for id in micro {
        let m = catalog.get(id).unwrap_or_else(|| panic!("`{id}` is in the catalog"));
        assert!(m.micro, "`{id}` is a micro-break move");
    }
}

#[test]
fn the_full_session_moves_are_there_too() {
    let catalog = Catalog::builtin();
    let full = [
        "bent-over-row",
        "one-arm-dumbbell-row",
        "reverse-dumbbell-fly",
        "renegade-row",
        "high-barbell-row",
        "cat-cow",
        "childs-pose",
        "bird-dog",
        "glute-bridge",
        "farmer-carry",
        "dead-hang",
    ];
    for id in full {
        let m = catalog.get(id).unwrap_or_else(|| panic!("`{id}` is in the catalog"));
        assert!(!m.micro, "`{id}` is for full sessions");
    }
}

#[test]
fn there_are_desk_moves_for_every_situation() {
    let catalog = Catalog::builtin();
    let micro: Vec<_> = catalog.moves.iter().filter(|m| m.micro).collect();
    let seated_bare =
        micro.iter().filter(|m| m.equipment.is_empty() && m.position != Position::Standing).count();
    assert!(seated_bare >= 8, "{seated_bare} moves need nothing and no standing");
    assert!(micro.iter().any(|m| m.per_side));
    for e in [Equipment::Wall, Equipment::Doorway, Equipment::ResistanceBand] {
        assert!(micro.iter().any(|m| m.equipment.contains(&e)), "a desk move uses {e:?}");
    }
}

#[test]
fn every_move_can_progress() {
    for m in &Catalog::builtin().moves {
        assert!(m.levels.len() >= 2, "`{}` has a way to progress", m.id);
    }
}

#[test]
fn a_bad_catalog_is_rejected_naming_the_move() {
    let source = r#"
        [[move]]
        id = "chin-tuck"
        name = "Chin tuck"
        summary = "Resets the head over the shoulders."
        kind = "posture"
        muscles = ["neck"]
        position = "either"
        micro = true
        cues = ["Sit tall.", "Draw your chin back."]
        [[move.levels]]
        dose = { hold = { hold_seconds = 3, reps = 5 } }
    "#;
    let err = Catalog::parse(source).unwrap_err();
    assert_eq!(
        err,
        CatalogError::Invalid { id: "chin-tuck".into(), problem: "it needs 3 to 5 cues".into() }
    );
    let duplicate = format!("{source}\n{}", source.replace("cues = [", "cues = [\"Relax.\", "));
    assert!(Catalog::parse(&duplicate).is_err());
    assert!(matches!(Catalog::parse("[[move]]\nid = 3"), Err(CatalogError::Parse(_))));
}
