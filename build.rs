//! Build script: tells the tests whether Chromium and ChromeDriver are installed, so that on a
//! machine without them the browser tests are reported as ignored, not as passed. With
//! `PLANBOOK_BROWSER_TESTS=require` (CI) they are never ignored: a missing browser fails them.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_browser)");
    println!("cargo::rerun-if-env-changed=PLANBOOK_BROWSER_TESTS");
    // Installing or removing a package changes the folder.
    println!("cargo::rerun-if-changed=/usr/bin");
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().any(|p| Path::new(p).exists());
    let driver = Path::new("/usr/bin/chromedriver").exists();
    let required = std::env::var("PLANBOOK_BROWSER_TESTS").as_deref() == Ok("require");
    if !(required || chromium && driver) {
        println!("cargo::rustc-cfg=no_browser");
    }
}
