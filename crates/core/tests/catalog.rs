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

const MY_MOVES: &str = r#"
[[move]]
id = "towel-row"
name = "Towel row"
summary = "Pulls the shoulder blades together against a towel held round a door handle."
kind = "strength"
muscles = ["rhomboids", "lats"]
position = "standing"
micro = false
row = true
picture = "towel-row.svg"
cues = ["Loop a towel round a firm handle.", "Lean back, arms straight.", "Pull your chest to your hands."]
[[move.levels]]
dose = { reps = { reps = 8, tempo_seconds = 3 } }
sets = 2

[[move]]
id = "bad-move"
name = "Bad move"
summary = "Has too few cues."
kind = "stretch"
muscles = ["chest"]
position = "either"
micro = true
cues = ["Only one."]
[[move.levels]]
dose = { hold = { hold_seconds = 20, reps = 1 } }

[[move]]
id = "chin-tuck"
name = "Mine"
summary = "Takes an id that is ours."
kind = "posture"
muscles = ["neck"]
position = "either"
micro = true
cues = ["a", "b", "c"]
[[move.levels]]
dose = { hold = { hold_seconds = 10, reps = 1 } }

[[move]]
id = "no-kind"
name = "No kind"
summary = "Forgets its kind."
muscles = ["neck"]
position = "either"
micro = true
cues = ["a", "b", "c"]
[[move.levels]]
dose = { hold = { hold_seconds = 10, reps = 1 } }
"#;

#[test]
fn a_persons_own_moves_load_beside_ours_and_a_bad_one_is_reported_with_its_field() {
    let builtin = Catalog::builtin();
    let (catalog, problems) = builtin.with_custom(MY_MOVES, "moves.toml");
    assert_eq!(catalog.moves.len(), builtin.moves.len() + 1, "only the good move is added");
    let mine = catalog.get("towel-row").expect("the good move loads");
    assert!(mine.custom && mine.row);
    assert_eq!(mine.picture.as_deref(), Some("towel-row.svg"));
    assert!(!catalog.get("chin-tuck").unwrap().custom, "ours stays ours");
    assert!(builtin.moves.iter().all(|m| !m.custom), "none of ours is marked as the person's");
    // A catalog sent over the socket reads back as it was, the marks included.
    let json = serde_json::to_string(&catalog).unwrap();
    assert_eq!(serde_json::from_str::<Catalog>(&json).unwrap(), catalog);
    let found: Vec<(usize, Option<&str>, &str)> =
        problems.iter().map(|p| (p.index, p.id.as_deref(), p.field.as_str())).collect();
    assert_eq!(
        found,
        [(2, Some("bad-move"), "cues"), (3, Some("chin-tuck"), "id"), (4, Some("no-kind"), "kind")]
    );
    assert_eq!(
        problems[0].to_string(),
        "moves.toml: move 2 (`bad-move`): cues: it needs 3 to 5 cues"
    );
    assert!(problems[2].problem.contains("missing field"), "{}", problems[2].problem);
}

#[test]
fn a_moves_file_that_does_not_parse_loses_nothing_of_ours() {
    let builtin = Catalog::builtin();
    let (catalog, problems) = builtin.with_custom("[[move]\nid = ", "moves.toml");
    assert_eq!(catalog, *builtin);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].index, 0);
    let (_, problems) = builtin.with_custom("[settings]\nx = 1\n", "moves.toml");
    assert_eq!(problems[0].field, "settings");
    // A picture must be a plain file name beside the file.
    let sneaky = MY_MOVES.replace("towel-row.svg", "../../etc/passwd.svg");
    let (catalog, problems) = builtin.with_custom(&sneaky, "moves.toml");
    assert!(catalog.get("towel-row").is_none());
    assert!(problems.iter().any(|p| p.field == "picture"), "{problems:?}");
}
