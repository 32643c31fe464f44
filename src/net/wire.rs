//! What the host's and the client's connection threads share: polling a blocking socket with a short read
//! timeout (so one thread both reads and writes its WebSocket), and closing politely with a last message.

use std::io::{ErrorKind, Read};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// How long a connection thread waits for a frame before looking at its outbox again: the latency of
/// anything the other side is sent.
pub const POLL: Duration = Duration::from_millis(20);

/// How long a slow reader may hold up a write before the connection is given up.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the host pings a quiet seat, so a vanished laptop is noticed (its pong proves it is there).
pub const KEEPALIVE: Duration = Duration::from_secs(15);

/// Silence after which either side gives the connection up: three missed pings.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(45);

/// How long to keep reading after a close, so the last message is not lost to a TCP reset.
const LINGER: Duration = Duration::from_secs(1);

/// The limits a side applies to what it reads.
#[must_use]
pub fn config(max_message: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(max_message))
        .max_frame_size(Some(max_message))
}

/// Whether a read or write error only means "nothing yet" (the poll timeout), not a broken connection.
#[must_use]
pub fn is_idle(error: &tungstenite::Error) -> bool {
    matches!(error, tungstenite::Error::Io(e)
        if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted))
}

/// Sends a text frame. A write that would block is queued inside tungstenite and flushed on a later
/// `flush`; any other failure means the connection is gone.
pub fn send_text(ws: &mut WebSocket<TcpStream>, text: String) -> Result<(), tungstenite::Error> {
    match ws.send(Message::text(text)) {
        Err(e) if is_idle(&e) => Ok(()),
        other => other,
    }
}

/// Flushes queued frames: `true` when everything is written, `false` when the peer is not reading fast
/// enough and some is still waiting (retried on the next poll).
pub fn flush_all(ws: &mut WebSocket<TcpStream>) -> Result<bool, tungstenite::Error> {
    match ws.flush() {
        Ok(()) => Ok(true),
        Err(e) if is_idle(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Flushes queued frames; a write that would still block is retried on the next poll.
pub fn flush(ws: &mut WebSocket<TcpStream>) -> Result<(), tungstenite::Error> {
    match ws.flush() {
        Err(e) if is_idle(&e) => Ok(()),
        other => other,
    }
}

/// Sends a last text message (if any) and a close frame, then reads whatever the peer still sends for a
/// moment: closing a socket with unread data resets it, and the reset could overtake the last message.
pub fn close_with(mut ws: WebSocket<TcpStream>, last: Option<String>) {
    if let Some(text) = last {
        let _ = ws.send(Message::text(text));
    }
    let _ = ws.close(None);
    let _ = ws.flush();
    let mut stream = ws.into_inner();
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + LINGER;
    let mut sink = [0u8; 4096];
    while Instant::now() < until {
        match stream.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
}
