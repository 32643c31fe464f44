//! LAN seats: participants on their own machines play their seats through the facilitator's engine.
//!
//! `Host` serves an exercise over WebSocket connections (JSON text frames, see `protocol`), one join code per seat;
//! `Client` is the participant's end. The engine is never touched from a network thread: the owner of the
//! exercise calls `Host::pump` with its `Session` (the console's, or `tabletop host`'s), and every action
//! goes through `Session::submit` under the connection's own seat: recorded before it is acknowledged.

pub mod client;
pub mod code;
pub mod codes_file;
pub mod host;
pub mod protocol;
mod wire;

pub use client::{ActionResult, Client, ClientError, Status};
pub use code::JoinCode;
pub use host::{ConnectionInfo, Host, HostEvent, HostLimits, Waker};
pub use protocol::{ClientMessage, ServerMessage};
