//! Git repositories made in a test: a book folder that is a repository, with commits at fixed
//! dates, so that history (versions, dates, moves, withdrawals) is the same on every run. Uses
//! the `git` binary, which the tests need and wardbook does not (it reads history in-process).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `git` in `dir` with `args`, isolated from the user's and the system's git config, with
/// author and committer date `date` (`2025-01-31`, taken as noon UTC). Panics when git fails.
pub fn git_at(dir: &Path, date: &str, args: &[&str]) -> String {
    let stamp = format!("{date}T12:00:00+00:00");
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test Author",
            "-c",
            "user.email=test@example.org",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A repository in `dir` (created if needed), with everything in it committed step by step.
pub struct GitRepo {
    dir: PathBuf,
}

impl GitRepo {
    /// `git init` in `dir`.
    pub fn init(dir: &Path) -> Self {
        std::fs::create_dir_all(dir).expect("mkdir");
        git_at(dir, "2020-01-01", &["init", "-q"]);
        GitRepo {
            dir: dir.to_path_buf(),
        }
    }

    /// The repository's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `contents` to `path` (relative to the repository), creating folders.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) -> &Self {
        let to = self.dir.join(path);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::write(to, contents).expect("write");
        self
    }

    /// `git mv from to` (creating the destination's folder).
    pub fn mv(&self, from: &str, to: &str) -> &Self {
        std::fs::create_dir_all(self.dir.join(to).parent().expect("parent")).expect("mkdir");
        git_at(&self.dir, "2020-01-01", &["mv", from, to]);
        self
    }

    /// `git rm path`.
    pub fn rm(&self, path: &str) -> &Self {
        git_at(&self.dir, "2020-01-01", &["rm", "-q", path]);
        self
    }

    /// Stages everything and commits it on `date` (YYYY-MM-DD); returns the commit id.
    pub fn commit(&self, date: &str, message: &str) -> String {
        git_at(&self.dir, date, &["add", "-A"]);
        git_at(
            &self.dir,
            date,
            &["commit", "-q", "--allow-empty", "-m", message],
        );
        git_at(&self.dir, date, &["rev-parse", "HEAD"])
    }

    /// Tags HEAD as `name` (a lightweight tag).
    pub fn tag(&self, name: &str) -> &Self {
        git_at(&self.dir, "2020-01-01", &["tag", name]);
        self
    }

    /// Runs any other git command here (on `date`).
    pub fn git(&self, date: &str, args: &[&str]) -> String {
        git_at(&self.dir, date, args)
    }
}
