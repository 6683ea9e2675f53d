//! What a scenario will need before anything is built: nodes, links, routes, memory and expected events, and the
//! budget check that refuses a scenario that cannot fit this machine or would run too long.
