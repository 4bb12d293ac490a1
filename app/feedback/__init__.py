"""Review and feedback: comment threads on activities, acting supervisors (Plt/Plh), the team
view, continuous feedback per RHK and BerAKHLAK value, and the optional auto-accept rule."""
