//! Integration tests: the real `planbook` binary on real trees (content-example, fixtures written
//! by the tests, generated trees). One binary for all features, one module per feature.

#[path = "../support/mod.rs"]
mod support;

mod build;
mod check;
mod docs;
mod forms_files;
mod forms_refs;
mod forms_status;
mod forms_tables;
mod gen_history;
mod git_dates;
mod golden;
mod history;
mod hostile;
mod publish;
mod references;
mod search;
mod watch;
