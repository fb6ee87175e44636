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
//! - A committee that has ceased (its `validTo` is past) has no accounts of
//!   its own; its records are corrected only by a COORDINATOR (or ADMIN) of a
//!   committee in force that took it in at the reform (the ceased committee
//!   is in the subtree of one of the pre-reform units the viewer's committee
//!   succeeded — [`crate::auth::Scope::taken_in`]). Such corrections are
//!   audited like any other change, under the corrector's account.
//!
//! The object is first read through the viewer's scope, so something out of
//! scope answers exactly as something that does not exist (NOT_FOUND); what
//! is visible but not writable is FORBIDDEN.

use entities::committee;
use sea_orm::ConnectionTrait;

use crate::auth::Viewer;
use crate::error::{Error, Result};
use crate::service::enums::Role;
use crate::service::today;

/// Whether a committee is in force today (Vietnam's date).
pub fn in_force(c: &committee::Model) -> bool {
    let today = today();
    c.valid_from.is_none_or(|f| f <= today) && c.valid_to.is_none_or(|t| t >= today)
}

impl Viewer {
    fn at_least(&self, role: Role) -> Result<()> {
        if self.role >= role {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Writing the records of `committee_id` with at least `role`.
    /// Entering — never approving — the report of a committee directly
    /// below the viewer's own, on its behalf (a district or province
    /// consolidating its communes' paper reports from a spreadsheet):
    /// COORDINATOR or ADMIN, both committees in force. The report records
    /// the committee that entered it; the audit event, the account.
    pub fn may_enter_on_behalf(&self, committee: &committee::Model) -> Result<()> {
        self.at_least(Role::Coordinator)?;
        if in_force(committee)
            && !self.scope.home_ceased
            && committee.parent_id == Some(self.committee_id)
        {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn may_write_own(&self, committee_id: i64, role: Role) -> Result<()> {
        self.at_least(role)?;
        if self.committee_id == committee_id {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Writing the records of `committee` (found in the viewer's scope) with
    /// at least `role`: the viewer's own committee while it is in force, or a
    /// ceased committee its committee took in, by a COORDINATOR or above.
    pub async fn may_write(
        &self,
        db: &impl ConnectionTrait,
        committee: &committee::Model,
        role: Role,
    ) -> Result<()> {
        if in_force(committee) {
            return self.may_write_own(committee.id, role);
        }
        self.at_least(role.max(Role::Coordinator))?;
        if self.scope.taken_in_contains(db, committee.id).await? {
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
