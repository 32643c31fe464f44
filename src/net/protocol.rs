//! The LAN wire protocol between the facilitator's host and a participant's client: JSON text frames over
//! a WebSocket, so a browser client can follow later without anything but `JSON.parse`.
//!
//! # Messages
//!
//! Client to server:
//!
//! - `{"type":"hello","code":"K7QF-2M9X-..."}`: must be the first message; the join code names the seat.
//! - `{"type":"act","id":7,"action":{"action":"decide","decision":"dec_x","option":"opt_a","rationale":"..."}}`:
//!   one [`SeatAction`], always taken as the connection's own seat (there is no field to name a seat, and
//!   no facilitator action exists in this vocabulary). `id` is the client's own number, echoed in the result.
//!
//! Server to client:
//!
//! - `{"type":"welcome","seat":"de_gov","name":"German government"}` after a valid hello.
//! - `{"type":"view","view":{...}}`: the seat's whole [`SeatView`], on joining and whenever it changed.
//! - `{"type":"result","id":7,"ok":true}` or `{"type":"result","id":7,"ok":false,"refusal":"..."}`.
//! - `{"type":"error","message":"..."}`, then the server closes the connection. Sent for a wrong code,
//!   malformed JSON, an unknown message type, an `act` before `hello`, a second `hello`, a binary frame or a
//!   frame over [`MAX_MESSAGE_BYTES`]. Nothing else about the exercise is affected.
//!
//! `docs/lan-protocol.md` says the same for people writing a client.

use serde::{Deserialize, Serialize};

use crate::sim::seat::{SeatAction, SeatView};

/// The largest message a client may send (and the largest frame). Actions are small; anything larger is
/// a mistake or an attack, and is refused before it is buffered whole.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The largest message a client accepts from the host: a seat's whole view, inbox bodies included.
pub const MAX_VIEW_BYTES: usize = 16 * 1024 * 1024;

/// What a participant's client sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    Hello { code: String },
    Act { id: u64, action: SeatAction },
}

/// What the host sends to a participant's client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Welcome {
        seat: String,
        name: String,
    },
    View {
        view: Box<SeatView>,
    },
    Result {
        id: u64,
        ok: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refusal: Option<String>,
    },
    Error {
        message: String,
    },
}

impl ClientMessage {
    /// The message as a JSON text frame's payload.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising these plain types cannot fail (string keys, no non-finite floats).
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl ServerMessage {
    /// The message as a JSON text frame's payload.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
