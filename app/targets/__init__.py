"""The SKP: annual performance targets (RHK and their indicators), cascaded from the supervisor."""
