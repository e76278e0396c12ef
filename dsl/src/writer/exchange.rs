//! Putting the staged tree where the old one was: one `renameat2(RENAME_EXCHANGE)` on
//! Linux, two renames where the platform has no atomic exchange.

use std::fs;
use std::io;
use std::path::Path;

use super::{io_error, WriteError};

/// Puts `staging` where `out` is, in one atomic step where the platform allows.
pub(super) fn swap_into_place(
    staging: &Path,
    out: &Path,
    out_exists: bool,
) -> Result<(), WriteError> {
    if !out_exists {
        return fs::rename(staging, out).map_err(io_error(out));
    }
    if exchange(staging, out).is_err() {
        // No atomic exchange here (not Linux, or a filesystem without it): two renames,
        // with the old tree parked under a stale-sibling name the next run cleans up.
        let parked = staging.with_extension("old");
        fs::rename(out, &parked).map_err(io_error(out))?;
        fs::rename(staging, out).map_err(io_error(out))?;
        return fs::remove_dir_all(&parked).map_err(io_error(&parked));
    }
    // `staging` now holds the old tree.
    fs::remove_dir_all(staging).map_err(io_error(staging))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic directory exchange",
    ))
}
