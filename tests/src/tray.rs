//! Driving the tray as a panel would: the StatusNotifierItem's menu over
//! `com.canonical.dbusmenu`.

use std::collections::HashMap;

use zbus::zvariant::{OwnedValue, Structure, Value};

/// The tray of the process `pid` on the bus at `address`.
#[derive(Debug)]
pub struct TrayMenu {
    conn: zbus::Connection,
    name: String,
}

/// A dbusmenu layout node: id, properties, children (each a variant holding a node).
type Node = (i32, HashMap<String, OwnedValue>, Vec<OwnedValue>);

/// One menu entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: i32,
    pub label: String,
    pub enabled: bool,
}

impl TrayMenu {
    /// Find the tray that process `pid` put on the bus.
    pub async fn find(address: &str, pid: u32) -> Option<TrayMenu> {
        let conn = zbus::connection::Builder::address(address).ok()?.build().await.ok()?;
        let dbus = zbus::fdo::DBusProxy::new(&conn).await.ok()?;
        let prefix = format!("org.kde.StatusNotifierItem-{pid}-");
        let name = dbus
            .list_names()
            .await
            .ok()?
            .into_iter()
            .map(|n| n.to_string())
            .find(|n| n.starts_with(&prefix))?;
        Some(TrayMenu { conn, name })
    }

    /// The entries of the menu, in order (separators left out).
    pub async fn entries(&self) -> Vec<Entry> {
        let reply = self
            .conn
            .call_method(
                Some(self.name.as_str()),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                "GetLayout",
                &(0i32, -1i32, Vec::<String>::new()),
            )
            .await
            .expect("GetLayout");
        let (_revision, (_id, _props, children)): (u32, Node) =
            reply.body().deserialize().expect("a menu layout");
        children.iter().filter_map(entry).collect()
    }

    /// Click the entry labelled `label`.
    pub async fn click(&self, label: &str) {
        let entries = self.entries().await;
        let entry = entries
            .iter()
            .find(|e| e.label == label)
            .unwrap_or_else(|| panic!("no `{label}` in {entries:?}"));
        self.conn
            .call_method(
                Some(self.name.as_str()),
                "/MenuBar",
                Some("com.canonical.dbusmenu"),
                "Event",
                &(entry.id, "clicked", Value::from(0i32), 0u32),
            )
            .await
            .expect("Event");
    }
}

fn entry(child: &OwnedValue) -> Option<Entry> {
    let value: &Value = child;
    let value = match value {
        Value::Value(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(s) = value else { return None };
    let fields = Structure::fields(s);
    let Value::I32(id) = fields.first()? else { return None };
    let Value::Dict(props) = fields.get(1)? else { return None };
    // Properties: a{sv}, each value a variant.
    let prop = |name: &str| {
        props.iter().find_map(|(k, v)| match (k, v) {
            (Value::Str(k), Value::Value(v)) if k.as_str() == name => Some(v.as_ref().clone()),
            (Value::Str(k), v) if k.as_str() == name => Some(v.clone()),
            _ => None,
        })
    };
    if matches!(prop("type"), Some(Value::Str(t)) if t.as_str() == "separator") {
        return None;
    }
    let label = match prop("label") {
        Some(Value::Str(l)) => l.to_string(),
        _ => String::new(),
    };
    let enabled = !matches!(prop("enabled"), Some(Value::Bool(false)));
    Some(Entry { id: *id, label, enabled })
}
