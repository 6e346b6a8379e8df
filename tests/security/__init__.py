"""The security suite: prompt-injection attacks on the reader and poisoned documents in the knowledge base."""
