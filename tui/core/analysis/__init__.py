"""The analysis pipeline: files → corpus → statements → claims → divergences."""
