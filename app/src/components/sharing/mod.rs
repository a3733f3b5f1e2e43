//! Pieces of the sharing screens (Groups, Colleagues, External, Agreements).
