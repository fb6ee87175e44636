//! Write rules, deny by default.
//!
//! - VIEWER writes nothing.
//! - EDITOR writes its own committee's plans, tasks, progress and
//!   cooperation records (and records foreign counterparts).
//! - COORDINATOR also cascades its committee's plans to direct subordinates.
//! - COORDINATOR also approves or returns the reports of the committees
//!   below its own (its children, and further down).
//! - ADMIN also manages agencies and accounts in its subtree; nobody grants
//!   a role above their own.
//!
//! The object is first read through the viewer's scope, so something out of
//! scope answers exactly as something that does not exist (NOT_FOUND); what
//! is visible but not writable is FORBIDDEN.

use crate::auth::Viewer;
use crate::error::{Error, Result};
use crate::service::enums::Role;

impl Viewer {
    fn at_least(&self, role: Role) -> Result<()> {
        if self.role >= role {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Writing the records of `committee_id` with at least `role`.
    pub fn may_write_own(&self, committee_id: i64, role: Role) -> Result<()> {
        self.at_least(role)?;
        if self.committee_id == committee_id {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Administering `committee_id`, which the caller has found in the
    /// viewer's subtree.
    pub fn may_administer(&self, in_subtree: bool) -> Result<()> {
        self.at_least(Role::Admin)?;
        if in_subtree {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Reviewing (approving or returning) a report whose committee's parent
    /// the caller has found in the viewer's subtree (`parent_inside`).
    pub fn may_review(&self, parent_inside: bool) -> Result<()> {
        self.at_least(Role::Coordinator)?;
        if parent_inside {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Granting `role` to an account.
    pub fn may_grant(&self, role: Role) -> Result<()> {
        self.at_least(Role::Admin)?;
        if role <= self.role {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Recording shared reference data (foreign counterparts).
    pub fn may_edit(&self) -> Result<()> {
        self.at_least(Role::Editor)
    }
}
