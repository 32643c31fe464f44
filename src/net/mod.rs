//! LAN seats: participants on their own machines play their seats through the facilitator's engine.
//!
//! `Host` serves an exercise over WebSocket connections (JSON text frames, see `protocol`), one join code per seat;
//! `Client` is the participant's end. The engine is never touched from a network thread: the owner of the
//! exercise calls `Host::pump` with its `Authority` (the console, or a `HeadlessSession`), and every action
//! becomes a journaled `Command` under the connection's own seat.

pub mod client;
pub mod code;
pub mod codes_file;
pub mod host;
pub mod protocol;
pub mod session;
mod wire;

pub use client::{ActionResult, Client, ClientError, Status};
pub use code::JoinCode;
pub use host::{ConnectionInfo, Host, HostEvent, HostLimits, Waker};
pub use protocol::{ClientMessage, ServerMessage};
pub use session::{Authority, HeadlessSession};
