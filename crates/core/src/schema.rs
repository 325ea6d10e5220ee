//! A JSON Schema (draft-07) of the plan format, generated from the field
//! table in `crate::format`, the model's phase and kind names and the rule
//! registry: editors with a YAML language server complete and check plans
//! with it. `retreat schema` prints it; `www/retreat-plan.schema.json` is the
//! copy the app serves (a test keeps the two the same).

use serde_json::{Map, Value, json};

use crate::format::{self, Field, Fields, Type};
use crate::limits::MAX_CREW;
use crate::model::{Kind, Phase};
use crate::rules::RULES;

/// Where the app serves the schema, relative to its page.
pub const FILE_NAME: &str = "retreat-plan.schema.json";

const DURATION: &str = r"^\s*(\d+(\.\d+)?|((\d+(\.\d+)?)\s*d\s*)?((\d+(\.\d+)?)\s*h\s*)?((\d+(\.\d+)?)\s*(m|min)\s*)?((\d+(\.\d+)?)\s*s)?)\s*$";
const TIMESTAMP: &str = r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$";

fn scalar_text() -> Value {
    json!({ "type": ["string", "number", "boolean"] })
}

fn duration() -> Value {
    json!({ "oneOf": [
        { "type": "number", "minimum": 0 },
        { "type": "string", "pattern": DURATION },
    ] })
}

fn id() -> Value {
    json!({ "type": "string", "pattern": "^[A-Za-z0-9_.-]+$" })
}

fn one_or_list(item: Value) -> Value {
    json!({ "oneOf": [item.clone(), { "type": "array", "items": item }] })
}

fn schema_of(ty: Type, required: bool) -> Value {
    match ty {
        Type::Text => scalar_text(),
        Type::Texts => one_or_list(scalar_text()),
        Type::Id => id(),
        Type::Ids => one_or_list(id()),
        Type::Duration => duration(),
        Type::Estimate => json!({ "oneOf": [
            duration(),
            { "type": "array", "items": duration(), "minItems": 3, "maxItems": 3 },
            object(format::ESTIMATE_FIELDS),
        ] }),
        Type::Timestamp => json!({ "type": "string", "pattern": TIMESTAMP }),
        Type::Date => json!({ "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$" }),
        Type::Share => json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 1 }),
        Type::Version => json!({ "const": 1 }),
        Type::Phase => json!({ "enum": Phase::ALL.iter().map(|(name, _)| *name).collect::<Vec<_>>() }),
        Type::Kind => json!({ "enum": Kind::ALL.iter().map(|(name, _)| *name).collect::<Vec<_>>() }),
        Type::States => json!({ "type": "object", "additionalProperties": scalar_text() }),
        Type::Allow => {
            let codes: Vec<&str> = RULES.iter().map(|r| r.code).filter(|c| !c.starts_with('P')).collect();
            json!({
                "type": "object",
                "propertyNames": { "enum": codes },
                "additionalProperties": { "type": "string", "minLength": 1 },
            })
        }
        Type::Crew => json!({
            "type": "object",
            "additionalProperties": { "type": "integer", "minimum": 1, "maximum": MAX_CREW },
        }),
        Type::Object(fields) => object(fields),
        Type::ListOf(fields) => {
            let mut list = json!({ "type": "array", "items": object(fields) });
            if required {
                list["minItems"] = json!(1);
            }
            list
        }
        Type::TextOr(fields) => json!({ "oneOf": [scalar_text(), object(fields)] }),
    }
}

fn object(fields: &dyn Fields) -> Value {
    let fields: Vec<Field> = fields.fields();
    let mut properties = Map::new();
    for f in &fields {
        let mut s = schema_of(f.ty, f.required);
        s["description"] = json!(f.about);
        properties.insert(f.name.to_string(), s);
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.name).collect();
    let mut o = json!({ "type": "object", "properties": properties, "additionalProperties": false });
    if !required.is_empty() {
        o["required"] = json!(required);
    }
    // A window ends either at `end` or after `duration`, not both.
    if fields.iter().any(|f| f.name == "end") && fields.iter().any(|f| f.name == "duration") {
        o["oneOf"] = json!([{ "required": ["end"] }, { "required": ["duration"] }]);
    }
    o
}

/// The schema as a JSON value.
pub fn json_schema() -> Value {
    let mut root = object(format::PLAN_FIELDS);
    root["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    root["$id"] = json!(FILE_NAME);
    root["title"] = json!("Retreat rollback plan, format version 1");
    root["description"] =
        json!("A change plan with its rollback: steps, their inverses, the change window. See PLAN_FORMAT.md.");
    root
}

/// The schema as pretty-printed JSON, ending in a newline.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}
