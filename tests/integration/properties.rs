//! Property tests on random valid scenarios: the model's invariants hold on every one.
