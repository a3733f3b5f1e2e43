//! Pieces of the Messages screen (folders, request list and detail, assign dialog).
