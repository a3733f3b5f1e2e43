//! Pieces shared by several pages.

pub mod action_error;
pub mod dialog;
pub mod error_summary;
pub mod footer;
pub mod header;
pub mod loaded;
pub mod org_combobox;
pub mod page_heading;
pub mod pager;
pub mod sharing;
pub mod status_banner;
pub mod status_notice;
pub mod table_head;
