//! `GET /api/openapi.json` documents exactly the routes of `app()`: every `.route(` line of
//! `src/routes/` is in the document with the same methods, and every documented operation
//! reaches a handler (neither the 404 fallback nor 405).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::*;

fn routed() -> BTreeSet<(String, String)> {
    let sources = [
        include_str!("../src/routes/mod.rs"),
        include_str!("../src/routes/sign_in.rs"),
        include_str!("../src/routes/directory.rs"),
        include_str!("../src/routes/sharing.rs"),
        include_str!("../src/routes/external.rs"),
        include_str!("../src/routes/agreements.rs"),
        include_str!("../src/routes/messages.rs"),
        include_str!("../src/routes/audit.rs"),
        include_str!("../src/routes/demo.rs"),
    ];
    let mut out = BTreeSet::new();
    for line in sources
        .iter()
        .flat_map(|source| source.lines())
        .map(str::trim)
        .filter(|l| l.contains(".route(\""))
    {
        let path = line.split('"').nth(1).unwrap();
        for method in ["get", "post", "put", "patch", "delete"] {
            if line.contains(&format!("{method}(")) {
                out.insert((method.to_uppercase(), format!("/api{path}")));
            }
        }
    }
    out
}

#[test]
fn every_route_is_documented_and_nothing_else_is() {
    let documented: BTreeSet<(String, String)> =
        api_mock::openapi::documented_routes().into_iter().collect();
    assert_eq!(routed().len(), 29);
    assert_eq!(routed(), documented);
}

#[tokio::test]
async fn the_document_is_served_and_every_operation_reaches_a_handler() {
    let api = Api::demo();
    let a = api.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.0.3");
    let token = api.sign_in(CAMELIA_ADMIN).await;
    for (method, path) in api_mock::openapi::documented_routes() {
        if path == "/api/demo/reset" {
            continue;
        }
        let concrete = path.replace("{id}", "zz").replace("{share_id}", "zz");
        let a = api.call(&method, &concrete, Some(&token), Some("{}")).await;
        assert_ne!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        let key = path.clone();
        let op = &doc["paths"][&key][method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} documented");
        let declared = op["responses"][a.status.as_u16().to_string()].is_object();
        assert!(
            declared,
            "{method} {path} answered {} which is not declared",
            a.status
        );
    }
}

#[test]
fn every_link_names_a_documented_operation_and_one_of_its_path_parameters() {
    let doc = api_mock::openapi::document();
    let mut ids = BTreeSet::new();
    let mut params = BTreeSet::new();
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap().to_owned();
            for p in op["parameters"].as_array().unwrap() {
                if p["in"] == "path" {
                    params.insert((id.clone(), p["name"].as_str().unwrap().to_owned()));
                }
            }
            ids.insert(id);
        }
    }
    let mut links = 0;
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            for (_, response) in op["responses"].as_object().unwrap() {
                for (_, link) in response["links"].as_object().into_iter().flatten() {
                    let to = link["operationId"].as_str().unwrap().to_owned();
                    assert!(ids.contains(&to), "link to unknown {to}");
                    for (param, _) in link["parameters"].as_object().unwrap() {
                        assert!(
                            params.contains(&(to.clone(), param.clone())),
                            "{to} {param}"
                        );
                    }
                    links += 1;
                }
            }
        }
    }
    assert!(links >= 10, "{links} links");
}
