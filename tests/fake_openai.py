"""The fake OpenAI chat-completions server for tests (it lives in the package, so `consultant eval --llm` can
start it too): model profiles, scripted readings and faults, every request recorded."""

from consultant.evaluation.fake_openai import ALL_METHODS, FakeOpenAI, serve
from consultant.evaluation.model_profiles import PROFILES, Fault, complete, null_reading, user_message

__all__ = ["ALL_METHODS", "PROFILES", "FakeOpenAI", "Fault", "complete", "null_reading", "serve", "user_message"]
