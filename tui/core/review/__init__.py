"""The review side: tags and notes, their store, agreement between reviewers, exports."""
