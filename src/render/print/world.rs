//! Our own typst [`World`] over in-memory files: the generated `.typ` sources, the images the
//! guidelines show, and the fonts (the theme's Liberation Sans plus typst's bundled fonts).
//! Nothing is read from disk here and no package is ever fetched: a build is a pure function of
//! what [`WorldBuilder`] was given, and `today()` is the build's as-of date, so two builds give the
//! same PDF.

use std::collections::HashMap;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The virtual path of the main source.
pub const MAIN: &str = "/main.typ";

/// The file id of a virtual project path such as `/g/3.typ`; `None` if the path is malformed.
pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// Collects the files and fonts of one compilation.
#[derive(Default)]
pub struct WorldBuilder {
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    fonts: Vec<Font>,
}

impl WorldBuilder {
    /// Adds a typst source at virtual `path`. Returns false if the path is malformed.
    pub fn source(&mut self, path: &str, text: String) -> bool {
        let Some(id) = file_id(path) else {
            return false;
        };
        self.sources.insert(id, Source::new(id, text));
        true
    }

    /// Adds a binary file (an image) at virtual `path`. Returns false if the path is malformed.
    pub fn file(&mut self, path: &str, bytes: Vec<u8>) -> bool {
        let Some(id) = file_id(path) else {
            return false;
        };
        self.files.insert(id, Bytes::new(bytes));
        true
    }

    /// Adds every face of a font file; returns how many faces it held (0: not a font).
    pub fn font(&mut self, bytes: Bytes) -> usize {
        let before = self.fonts.len();
        self.fonts.extend(Font::iter(bytes));
        self.fonts.len() - before
    }

    /// The world, with `MAIN` as its main source and `today` as the date typst sees.
    pub fn build(self, today: Datetime) -> Option<BookWorld> {
        let main = file_id(MAIN)?;
        Some(BookWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&self.fonts)),
            fonts: self.fonts,
            main,
            sources: self.sources,
            files: self.files,
            today,
        })
    }
}

/// The files and fonts of one compilation of the printed book.
pub struct BookWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

impl World for BookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(source) = self.sources.get(&id) {
            return Ok(Bytes::from_string(source.text().to_string()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        // Typst may ask with an index from an older font book (comemo validation).
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
