"""The Streamlit chat UI, shipped inside the package: `consultant ui` runs `app.py` (found with importlib.resources)."""
