//! The resource directory as CSV, for editing in a spreadsheet and moving between installations.
//!
//! The first row is a header naming the columns (any order; [`COLUMNS`] lists them, and
//! [`export`] writes them in that order):
//!
//! ```text
//! name,categories,languages,regions,contact,opening_hours,notes,last_verified,review_days
//! Safe Homes Network,domestic_violence;housing,en;af,ZA,0800 000 000,24/7,,2026-01-15,180
//! ```
//!
//! * `categories`, `languages` and `regions` are lists separated by `;`;
//! * `last_verified` is a date, `YYYY-MM-DD` (UTC). The time of day is not kept: an import reads
//!   it as midnight UTC;
//! * `review_days` is a positive number of days, 180 when the cell is empty;
//! * `name` and `categories` columns are required; the others may be left out.
//!
//! Import checks the whole file before returning anything: one bad row and nothing is imported,
//! and the error lists every bad cell with its line and column.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula (CSV or formula
//! injection), so [`export`] writes such a cell with a leading `'`, which spreadsheets show as
//! text, and [`import`] strips it again. A value that itself starts with `'` gets one more, so the
//! round trip is exact.

use jiff::Timestamp;
use tact_store::Resource;

use crate::{parse_date, utc_date, utc_midnight};

/// The columns, in the order [`export`] writes them.
pub const COLUMNS: [&str; 9] = [
    "name",
    "categories",
    "languages",
    "regions",
    "contact",
    "opening_hours",
    "notes",
    "last_verified",
    "review_days",
];

/// The columns a file must have.
const REQUIRED: [&str; 2] = ["name", "categories"];

/// The review interval of a row whose `review_days` cell is empty: the store's own default.
pub use tact_store::DEFAULT_REVIEW_DAYS;

/// The separator of list cells.
const LIST_SEPARATOR: char = ';';

/// Why a CSV file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has no header row.
    #[error("the file is empty: a header row naming the columns is needed ({})", COLUMNS.join(","))]
    Empty,
    /// The header names a column tact does not know.
    #[error("line {line}, column {column}: unknown column {name:?}; the columns are {}", COLUMNS.join(","))]
    UnknownColumn {
        /// The header's line (1 unless blank lines precede it).
        line: u64,
        /// The column's position, from 1.
        column: usize,
        /// The name as written.
        name: String,
    },
    /// The header names a column twice.
    #[error("line {line}, column {column}: column {name:?} appears twice")]
    DuplicateColumn {
        /// The header's line.
        line: u64,
        /// The position of the second occurrence, from 1.
        column: usize,
        /// The column.
        name: String,
    },
    /// The header lacks a required column.
    #[error("line {line}: the header has no {name:?} column")]
    MissingColumn {
        /// The header's line.
        line: u64,
        /// The missing column.
        name: &'static str,
    },
    /// The file is not well-formed CSV at a line (an unclosed quote, a row with more or fewer
    /// cells than the header, text that is not UTF-8).
    #[error("line {line}: {reason}")]
    Malformed {
        /// Where it went wrong.
        line: u64,
        /// What the CSV reader said.
        reason: String,
    },
    /// One or more rows have bad cells; nothing was imported.
    #[error("{}", crate::ErrorList::new(.0, "bad cell", "the file"))]
    InvalidRows(Vec<RowError>),
}

/// One bad cell of a row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column} ({field}): {problem}")]
pub struct RowError {
    /// The row's line in the file, from 1 (the header is line 1).
    pub line: u64,
    /// The cell's column position, from 1.
    pub column: usize,
    /// The column's name.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

/// Why the directory could not be written as CSV.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A list item holds the list separator or is blank, so it would not read back as one item.
    #[error(
        "resource {name:?} (id {id}): {field} item {item:?} cannot be written: list items must not be blank or contain ';'"
    )]
    BadListItem {
        /// The resource's id.
        id: i64,
        /// The resource's name.
        name: String,
        /// `categories`, `languages` or `regions`.
        field: &'static str,
        /// The item.
        item: String,
    },
    /// The CSV writer failed (it writes to memory, so this is not expected).
    #[error("writing CSV: {0}")]
    Write(String),
}

/// Writes the directory as CSV with a header row, guarding every cell against formula injection.
/// Ids are not written: an import creates new entries.
pub fn export(resources: &[Resource]) -> Result<String, ExportError> {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let write_error = |e: csv::Error| ExportError::Write(e.to_string());
    writer.write_record(COLUMNS).map_err(write_error)?;
    for resource in resources {
        let list = |field: &'static str, items: &[String]| -> Result<String, ExportError> {
            for item in items {
                if item.trim().is_empty() || item.contains(LIST_SEPARATOR) {
                    return Err(ExportError::BadListItem {
                        id: resource.id,
                        name: resource.name.clone(),
                        field,
                        item: item.clone(),
                    });
                }
            }
            Ok(items.join(&LIST_SEPARATOR.to_string()))
        };
        let row = [
            resource.name.clone(),
            list("categories", &resource.categories)?,
            list("languages", &resource.languages)?,
            list("regions", &resource.regions)?,
            resource.contact.clone(),
            resource.opening_hours.clone().unwrap_or_default(),
            resource.notes.clone(),
            resource
                .last_verified
                .map(|at| utc_date(at).to_string())
                .unwrap_or_default(),
            resource.review_days.to_string(),
        ];
        writer
            .write_record(row.iter().map(|cell| guard(cell)))
            .map_err(write_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Write(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Write(e.to_string()))
}

/// Reads a directory CSV (see the [module documentation](self)) into new resources (id 0), in
/// file order. Blank lines are skipped. Either every row is good and all are returned, or an
/// error says which lines and columns are wrong.
pub fn import(data: impl AsRef<[u8]>) -> Result<Vec<Resource>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(data.as_ref());
    let mut records = reader.byte_records();

    let header = match records.next() {
        None => return Err(ImportError::Empty),
        Some(record) => record.map_err(malformed)?,
    };
    let header_line = line_of(&header);
    let mut columns: Vec<&'static str> = Vec::with_capacity(header.len());
    for (index, raw) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(raw);
        // Spreadsheets may save a byte-order mark before the first column name.
        let name = name.trim_start_matches('\u{feff}').trim();
        let Some(known) = COLUMNS
            .iter()
            .copied()
            .find(|c| c.eq_ignore_ascii_case(name))
        else {
            return Err(ImportError::UnknownColumn {
                line: header_line,
                column: index + 1,
                name: name.to_string(),
            });
        };
        if columns.contains(&known) {
            return Err(ImportError::DuplicateColumn {
                line: header_line,
                column: index + 1,
                name: known.to_string(),
            });
        }
        columns.push(known);
    }
    for required in REQUIRED {
        if !columns.contains(&required) {
            return Err(ImportError::MissingColumn {
                line: header_line,
                name: required,
            });
        }
    }

    let mut resources = Vec::new();
    let mut errors = Vec::new();
    for record in records {
        let record = record.map_err(malformed)?;
        let line = line_of(&record);
        if record
            .iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        let mut row = Row {
            line,
            columns: &columns,
            errors: &mut errors,
        };
        let mut cells: Vec<String> = Vec::with_capacity(record.len());
        for (index, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(text) => cells.push(unguard(text).to_string()),
                Err(_) => {
                    row.error(index, "the text is not UTF-8".into());
                    cells.push(String::new());
                }
            }
        }
        if let Some(resource) = row.resource(&cells) {
            resources.push(resource);
        }
    }
    if errors.is_empty() {
        Ok(resources)
    } else {
        Err(ImportError::InvalidRows(errors))
    }
}

/// One row being read, collecting its errors.
struct Row<'a> {
    line: u64,
    columns: &'a [&'static str],
    errors: &'a mut Vec<RowError>,
}

impl Row<'_> {
    fn error(&mut self, index: usize, problem: String) {
        self.errors.push(RowError {
            line: self.line,
            column: index + 1,
            field: self.columns.get(index).copied().unwrap_or("?"),
            problem,
        });
    }

    /// The position and trimmed text of a column's cell; `None` when the file has no such column.
    fn cell<'c>(&self, cells: &'c [String], name: &str) -> Option<(usize, &'c str)> {
        let index = self.columns.iter().position(|c| *c == name)?;
        Some((index, cells.get(index).map(|c| c.trim()).unwrap_or("")))
    }

    /// The row as a resource, or `None` after recording what is wrong with it.
    fn resource(&mut self, cells: &[String]) -> Option<Resource> {
        let before = self.errors.len();
        let text = |name| self.cell(cells, name).map(|(_, t)| t).unwrap_or("");

        let name = text("name").to_string();
        let list = |name| split_list(text(name));
        let categories = list("categories");
        let languages = list("languages");
        let regions = list("regions");
        let contact = text("contact").to_string();
        let opening_hours = Some(text("opening_hours").to_string()).filter(|h| !h.is_empty());
        // Notes keep their inner layout; only the cell's outer whitespace goes.
        let notes = text("notes").to_string();

        if name.is_empty() {
            let (index, _) = self.cell(cells, "name")?;
            self.error(index, "the name is empty".into());
        }
        if categories.is_empty() {
            let (index, _) = self.cell(cells, "categories")?;
            self.error(
                index,
                "at least one category is needed (separate several with ';')".into(),
            );
        }
        let last_verified = match self.cell(cells, "last_verified") {
            Some((index, value)) if !value.is_empty() => match parse_date(value) {
                Some(date) => Some(utc_midnight(date)),
                None => {
                    self.error(
                        index,
                        format!("{value:?} is not a date; write it as YYYY-MM-DD"),
                    );
                    None
                }
            },
            _ => None::<Timestamp>,
        };
        let review_days = match self.cell(cells, "review_days") {
            Some((index, value)) if !value.is_empty() => match value.parse::<i64>() {
                Ok(days) if days > 0 => days,
                Ok(days) => {
                    self.error(index, format!("{days} is not a positive number of days"));
                    DEFAULT_REVIEW_DAYS
                }
                Err(_) => {
                    self.error(index, format!("{value:?} is not a whole number of days"));
                    DEFAULT_REVIEW_DAYS
                }
            },
            _ => DEFAULT_REVIEW_DAYS,
        };
        (self.errors.len() == before).then_some(Resource {
            id: 0,
            name,
            categories,
            languages,
            regions,
            contact,
            opening_hours,
            notes,
            last_verified,
            review_days,
        })
    }
}

/// Splits a list cell on `;`, trimming items and dropping empty ones (a trailing `;`).
fn split_list(cell: &str) -> Vec<String> {
    cell.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
        .collect()
}

/// The line a record starts on.
fn line_of(record: &csv::ByteRecord) -> u64 {
    record.position().map(|p| p.line()).unwrap_or(0)
}

/// A CSV reader error, with the line it happened on.
fn malformed(error: csv::Error) -> ImportError {
    let line = match error.kind() {
        csv::ErrorKind::UnequalLengths { pos, .. } => pos.as_ref().map(|p| p.line()),
        csv::ErrorKind::Utf8 { pos, .. } => pos.as_ref().map(|p| p.line()),
        _ => error.position().map(|p| p.line()),
    }
    .unwrap_or(0);
    let reason = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("the row has {len} cells but the header has {expected_len}"),
        _ => error.to_string(),
    };
    ImportError::Malformed { line, reason }
}

/// Whether a spreadsheet could run a cell with this first character as a formula.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@')
}

/// The cell as written to CSV: a leading `'` before a formula character, or before a `'`, so the
/// spreadsheet shows text and [`unguard`] can restore the value exactly.
fn guard(cell: &str) -> String {
    match cell.chars().next() {
        Some(c) if is_formula_start(c) || c == '\'' => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The value of a cell [`guard`] wrote: the leading `'` removed when a formula character or a
/// second `'` follows it. Any other leading `'` is the user's and stays.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(|c: char| is_formula_start(c) || c == '\'') => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "name,categories,languages,regions,contact,opening_hours,notes,last_verified,review_days\n";

    fn resource() -> Resource {
        Resource {
            id: 7,
            name: "Harbour Line".into(),
            categories: vec!["domestic_violence".into(), "housing".into()],
            languages: vec!["en".into(), "af".into()],
            regions: vec!["ZA-WC".into()],
            contact: "+27 21 000 0000, help@harbour.example".into(),
            opening_hours: Some("Mon-Fri 08:00-20:00".into()),
            notes: "Line one, with a comma\n\"quoted\" line two".into(),
            last_verified: Some("2026-02-01T00:00:00Z".parse().unwrap()),
            review_days: 90,
        }
    }

    fn bad_rows(result: Result<Vec<Resource>, ImportError>) -> Vec<RowError> {
        match result {
            Err(ImportError::InvalidRows(rows)) => rows,
            other => panic!("expected bad rows, got {other:?}"),
        }
    }

    #[test]
    fn round_trip_keeps_everything_but_the_id() {
        let original = resource();
        let text = export(std::slice::from_ref(&original)).unwrap();
        assert!(text.starts_with(HEADER), "{text}");
        let back = import(&text).unwrap();
        assert_eq!(back, vec![Resource { id: 0, ..original }]);
    }

    #[test]
    fn export_guards_formula_cells_and_import_strips_the_guard() {
        let mut r = resource();
        r.name = "=HYPERLINK(\"http://evil.example\")".into();
        r.contact = "+44 20 0000 0000".into();
        r.notes = "@SUM(A1)".into();
        r.opening_hours = Some("-".into());
        r.regions = vec!["'quoted".into()];
        let text = export(std::slice::from_ref(&r)).unwrap();
        let row = text.lines().nth(1).unwrap();
        assert!(row.starts_with("\"'=HYPERLINK("), "{row}");
        assert!(row.contains(",'+44 20 0000 0000,"), "{row}");
        assert!(row.contains(",'-,"), "{row}");
        assert!(row.contains(",'@SUM(A1),"), "{row}");
        assert!(row.contains(",''quoted,"), "{row}");
        for cell in row.split(',') {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unguarded cell {cell:?} in {row}"
            );
        }
        assert_eq!(import(&text).unwrap(), vec![Resource { id: 0, ..r }]);
    }

    #[test]
    fn a_user_apostrophe_before_ordinary_text_is_kept() {
        let text = format!("{HEADER}'Tis Help,general,,,,,,,\n");
        assert_eq!(import(text).unwrap()[0].name, "'Tis Help");
    }

    #[test]
    fn columns_may_come_in_any_order_and_optional_ones_may_be_missing() {
        let text = "categories,name\nhousing;money_trouble;,Shelter Desk\n";
        let got = import(text).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].name, "Shelter Desk");
        assert_eq!(got[0].categories, ["housing", "money_trouble"]);
        assert_eq!(got[0].review_days, DEFAULT_REVIEW_DAYS);
        assert_eq!(got[0].opening_hours, None);
        assert_eq!(got[0].last_verified, None);
    }

    #[test]
    fn unknown_header_names_line_and_column() {
        let err = import("name,categories,website\nA,b,c\n").unwrap_err();
        assert!(
            matches!(&err, ImportError::UnknownColumn { line: 1, column: 3, name } if name == "website"),
            "{err:?}"
        );
        assert!(
            err.to_string()
                .starts_with("line 1, column 3: unknown column \"website\"")
        );
    }

    #[test]
    fn duplicate_and_missing_columns_are_refused() {
        let err = import("name,categories,name\n").unwrap_err();
        assert!(
            matches!(err, ImportError::DuplicateColumn { column: 3, .. }),
            "{err:?}"
        );
        let err = import("name,contact\nA,b\n").unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::MissingColumn {
                    name: "categories",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(matches!(import("").unwrap_err(), ImportError::Empty));
    }

    #[test]
    fn empty_name_and_missing_category_name_their_cells() {
        let text =
            format!("{HEADER}Good,general,,,,,,,\n  ,general,,,,,,,\nNo Category, ; ,,,,,,,\n");
        let rows = bad_rows(import(text));
        assert_eq!(
            rows.iter()
                .map(|e| (e.line, e.column, e.field))
                .collect::<Vec<_>>(),
            [(3, 1, "name"), (4, 2, "categories")]
        );
    }

    #[test]
    fn bad_dates_and_review_days_are_refused() {
        let text = format!(
            "{HEADER}A,general,,,,,,2026-13-01,\nB,general,,,,,,01/02/2026,0\nC,general,,,,,,,-5\nD,general,,,,,,,soon\n"
        );
        let rows = bad_rows(import(text));
        let got: Vec<_> = rows.iter().map(|e| (e.line, e.field)).collect();
        assert_eq!(
            got,
            [
                (2, "last_verified"),
                (3, "last_verified"),
                (3, "review_days"),
                (4, "review_days"),
                (5, "review_days"),
            ]
        );
        assert!(rows[0].to_string().contains("\"2026-13-01\" is not a date"));
        assert!(rows[2].problem.contains("not a positive number"));
    }

    #[test]
    fn one_bad_row_refuses_the_whole_file() {
        let text = format!("{HEADER}Good,general,,,,,,,\nBad,,,,,,,,\nAlso Good,general,,,,,,,\n");
        let err = import(text).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("nothing was imported"), "{message}");
        assert!(
            message.contains("line 3, column 2 (categories)"),
            "{message}"
        );
    }

    #[test]
    fn a_row_with_the_wrong_number_of_cells_names_its_line() {
        let text = format!("{HEADER}Good,general,,,,,,,\nShort,general\n");
        let err = import(text).unwrap_err();
        assert!(
            matches!(&err, ImportError::Malformed { line: 3, reason } if reason.contains("2 cells")),
            "{err:?}"
        );
    }

    #[test]
    fn quoted_cells_spanning_lines_keep_later_line_numbers_right() {
        let text = format!("{HEADER}A,general,,,,,\"two\nlines\",,\nB,,,,,,,,\n");
        let rows = bad_rows(import(text));
        assert_eq!((rows[0].line, rows[0].field), (4, "categories"));
    }

    #[test]
    fn byte_order_mark_and_blank_lines_are_tolerated() {
        let text = format!("\u{feff}{HEADER}\nA,general,,,,,,,\n\n");
        assert_eq!(import(text).unwrap().len(), 1);
    }

    #[test]
    fn text_that_is_not_utf8_names_its_cell() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"A\xff,general,,,,,,,\n");
        let rows = bad_rows(import(bytes));
        assert_eq!((rows[0].line, rows[0].column), (2, 1));
    }

    #[test]
    fn export_refuses_list_items_that_would_not_read_back() {
        let mut r = resource();
        r.languages = vec!["en;de".into()];
        let err = export(&[r]).unwrap_err();
        assert!(
            err.to_string().contains("languages item \"en;de\""),
            "{err}"
        );
    }

    #[test]
    fn export_writes_dates_as_utc_days() {
        let mut r = resource();
        r.last_verified = Some("2026-02-01T23:30:00-05:00".parse().unwrap());
        let text = export(&[r]).unwrap();
        assert!(text.contains(",2026-02-02,90"), "{text}");
    }
}
