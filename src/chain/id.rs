//! Typed ids: zero-cost newtypes over `u32` so that a node id, a link id, a packet id, a cloudlet index and a
//! patient index cannot be mixed up.
//!
//! Each is `#[repr(transparent)]` over a `u32` (same size, layout and cost as the bare integer) and converts back
//! with [`NodeId::get`] / `.index()`; outputs write the same integer as before. The numbering is
//! [`super::topology`]'s: node ids run wearables, then BAN gateways, then cloudlets, then the remote cloud; link ids
//! run BAN links, access links, then core (mesh and WAN) links.
//!
//! A *core index* (a cloudlet index, or the cloudlet count for the remote cloud: the IDS's targets and
//! [`super::topology::CoreRoutes`]) is a [`CoreIx`] of its own, not a [`CloudletIx`]: it has one more value, the
//! remote cloud, which no cloudlet array may be indexed by. A cloudlet index converts into a core index with
//! [`CoreIx::from`]; the reverse is [`CoreIx::cloudlet`], which is `None` for the remote cloud.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub u32);

        impl $name {
            /// The raw integer (what outputs write).
            #[inline]
            pub const fn get(self) -> u32 {
                self.0
            }
            /// The id as an array index.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
            /// The id of array index `i` (which must fit in a `u32`).
            #[inline]
            pub const fn from_index(i: usize) -> Self {
                $name(i as u32)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

id_type!(
    /// A node of the network, by node id: wearables `0..wearables`, then one BAN gateway per patient, then the
    /// cloudlets, then the remote cloud (see [`super::topology`]).
    NodeId
);
id_type!(
    /// A directed link, by link id: BAN links (id = the wearable's node id), access links (id = the gateway's node
    /// id), then the core links (mesh and WAN) in the core graph's edge order (see [`super::topology`]).
    LinkId
);
id_type!(
    /// A packet in flight: its slot in [`super::packet::PacketStore`]; [`PacketId::NIL`] ends a queue or a batch
    /// list.
    PacketId
);
id_type!(
    /// A cloudlet, by index `0..cloudlets` (its node id is the first cloudlet's node id plus this).
    CloudletIx
);
id_type!(
    /// A core node, by core index: cloudlet `c` is core index `c`, the remote cloud is core index `cloudlets`.
    CoreIx
);
id_type!(
    /// A patient, by index `0..patients`: also the index of the patient's BAN gateway among the gateways.
    PatientId
);

impl PacketId {
    /// "No packet": the end of a queue or batch list, or an idle link's head.
    pub const NIL: PacketId = PacketId(u32::MAX);

    /// Whether this is [`PacketId::NIL`].
    #[inline]
    pub const fn is_nil(self) -> bool {
        self.0 == u32::MAX
    }
}

impl LinkId {
    /// "No link": the remote cloud's uplink, and a core route from a node to itself.
    pub const NONE: LinkId = LinkId(u32::MAX);
}

impl NodeId {
    /// The node `by` ids after this one (e.g. the first cloudlet's node id plus a cloudlet index).
    #[inline]
    pub const fn offset(self, by: u32) -> NodeId {
        NodeId(self.0 + by)
    }
    /// How many ids this node is after `base` (e.g. a cloudlet's index: its node id minus the first cloudlet's).
    #[inline]
    pub const fn since(self, base: NodeId) -> u32 {
        self.0 - base.0
    }
}

impl From<CloudletIx> for CoreIx {
    #[inline]
    fn from(c: CloudletIx) -> CoreIx {
        CoreIx(c.0)
    }
}

impl CoreIx {
    /// The cloudlet this core node is, or `None` for the remote cloud (core index `cloudlets`).
    #[inline]
    pub fn cloudlet(self, cloudlets: u32) -> Option<CloudletIx> {
        (self.0 < cloudlets).then_some(CloudletIx(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The newtypes cost nothing: same size and alignment as `u32`, and `Option` of one is no smaller than two.
    #[test]
    fn ids_are_bare_u32s() {
        use std::mem::{align_of, size_of};
        assert_eq!((size_of::<NodeId>(), align_of::<NodeId>()), (4, 4));
        assert_eq!((size_of::<LinkId>(), size_of::<PacketId>()), (4, 4));
        assert_eq!((size_of::<CloudletIx>(), size_of::<CoreIx>(), size_of::<PatientId>()), (4, 4, 4));
        assert!(PacketId::NIL.is_nil() && !PacketId(0).is_nil());
        assert_eq!(CoreIx(3).cloudlet(3), None);
        assert_eq!(CoreIx(2).cloudlet(3), Some(CloudletIx(2)));
        assert_eq!(NodeId(10).offset(2).since(NodeId(10)), 2);
        assert_eq!(format!("{} {:?}", NodeId(7), LinkId(8)), "7 LinkId(8)");
    }
}
