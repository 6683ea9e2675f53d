//! Random-stream namespaces of the cloudlet-mesh model (see [`crate::kernel::rng`]).
//!
//! Each entity kind draws from its own namespace, so that, for example, adding a wearable changes neither
//! another wearable's draws nor any link's.

/// Patient positions, one stream per patient.
pub const PATIENT_PLACEMENT: u16 = 1;
/// Cloudlet positions (random meshes), one stream per cloudlet.
pub const CLOUDLET_PLACEMENT: u16 = 2;
/// Wearable sampling phase and jitter, one stream per wearable.
pub const WEARABLE: u16 = 3;
/// Link losses, one stream per directed link.
pub const LINK: u16 = 4;
