//! Placeholder: stats helper implements (see the agreed API in the task).
