//! The facilitator's side of LAN seats: a WebSocket server whose threads only accept, read and write,
//! while every action is applied on the owner's thread in `Host::pump`, so the engine stays the single
//! authority and is never touched from a network thread.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use tungstenite::handshake::HandshakeError;
use tungstenite::{Message, WebSocket};

use super::code::JoinCode;
use super::protocol::{ClientMessage, MAX_MESSAGE_BYTES, ServerMessage};
use super::wire;
use crate::session::Session;
use crate::sim::seat::SeatAction;

/// Limits that keep a misbehaving client from exhausting the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostLimits {
    /// Connections open at once, handshaking ones included; more are closed on arrival.
    pub max_connections: usize,
    /// Time from the TCP connection to a valid `hello`; a client slower than that is dropped.
    pub handshake_timeout: Duration,
    /// How often views are recomputed when nothing happened over the network (the clock still moves).
    pub publish_interval: Duration,
}

impl HostLimits {
    /// Room for every seat twice over (a rejoin overlaps the connection it replaces) and a few strays.
    #[must_use]
    pub fn for_seats(seats: usize) -> HostLimits {
        HostLimits {
            max_connections: seats.saturating_mul(2).saturating_add(16),
            handshake_timeout: Duration::from_secs(10),
            publish_interval: Duration::from_millis(200),
        }
    }
}

/// Who is connected, for the console's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionInfo {
    pub seat: String,
    pub peer: SocketAddr,
    pub since: SystemTime,
}

/// What happened on the network during one `pump`, for the facilitator to see.
#[derive(Debug, Clone, PartialEq)]
pub enum HostEvent {
    /// A participant joined a seat; `replaced` when an older connection for the seat was closed for it.
    Joined {
        seat: String,
        peer: SocketAddr,
        replaced: bool,
    },
    /// A seat's connection ended.
    Left {
        seat: String,
        peer: SocketAddr,
        reason: String,
    },
    /// A seat acted; `Err` holds the refusal the participant was sent.
    Acted {
        seat: String,
        action: SeatAction,
        outcome: Result<(), String>,
    },
    /// A connection was closed before it held a seat (wrong code, broken protocol, too many, too slow).
    TurnedAway { peer: SocketAddr, reason: String },
}

/// A callback the network threads call when something arrives, so a GUI can repaint (and so pump).
pub type Waker = Box<dyn Fn() + Send + Sync>;

/// From the network threads to `pump`.
enum Inbound {
    Joined {
        conn: u64,
        seat: String,
        peer: SocketAddr,
        outbox: Sender<Outbound>,
    },
    Act {
        conn: u64,
        id: u64,
        action: SeatAction,
    },
    Left {
        conn: u64,
        reason: String,
    },
    TurnedAway {
        peer: SocketAddr,
        reason: String,
    },
}

/// From `pump` to one connection's thread.
enum Outbound {
    Send(String),
    /// Send this error and close.
    Close(String),
}

/// What the threads share.
struct Shared {
    codes: Vec<(String, JoinCode)>,
    limits: HostLimits,
    inbound: Mutex<Sender<Inbound>>,
    waker: Mutex<Option<Waker>>,
    stop: AtomicBool,
    open: AtomicUsize,
    next_conn: AtomicU64,
}

impl Shared {
    fn tell(&self, message: Inbound) {
        let sent = self
            .inbound
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .send(message);
        if sent.is_ok()
            && let Some(wake) = self
                .waker
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_ref()
        {
            wake();
        }
    }

    /// The seat whose code this is. Every code is compared (in constant time) whether or not an earlier
    /// one matched, so the time taken says nothing about which seat or how close.
    fn seat_for(&self, code: &str) -> Option<String> {
        let candidate = JoinCode::parse(code)?;
        let mut found = None;
        for (seat, code) in &self.codes {
            if code.matches(&candidate) {
                found = Some(seat.clone());
            }
        }
        found
    }
}

/// A connected seat, as `pump` keeps it.
struct Connection {
    conn: u64,
    peer: SocketAddr,
    since: SystemTime,
    outbox: Sender<Outbound>,
    /// The JSON of the last view sent, to send only changes.
    last_view: Option<String>,
}

/// Serves an exercise's seats over WebSocket connections. Dropping it stops the listener and closes every
/// connection.
pub struct Host {
    shared: Arc<Shared>,
    inbound: Receiver<Inbound>,
    local: SocketAddr,
    seats: BTreeMap<String, Connection>,
    last_publish: Option<Instant>,
    publish_due: bool,
}

impl Host {
    /// Listens on `addr` for the seats in `codes` (seat id, its join code), with limits for that many.
    pub fn bind(addr: impl ToSocketAddrs, codes: Vec<(String, JoinCode)>) -> std::io::Result<Host> {
        let limits = HostLimits::for_seats(codes.len());
        Host::bind_with(addr, codes, limits)
    }

    /// `bind` with explicit limits.
    pub fn bind_with(
        addr: impl ToSocketAddrs,
        codes: Vec<(String, JoinCode)>,
        limits: HostLimits,
    ) -> std::io::Result<Host> {
        let listener = TcpListener::bind(addr)?;
        let local = listener.local_addr()?;
        // Non-blocking, so the accept loop notices `stop` without a connection to wake it.
        listener.set_nonblocking(true)?;
        let (tx, rx) = channel();
        let shared = Arc::new(Shared {
            codes,
            limits,
            inbound: Mutex::new(tx),
            waker: Mutex::new(None),
            stop: AtomicBool::new(false),
            open: AtomicUsize::new(0),
            next_conn: AtomicU64::new(1),
        });
        let accepting = shared.clone();
        std::thread::Builder::new()
            .name("tabletop-host-accept".into())
            .spawn(move || accept_loop(&listener, &accepting))?;
        Ok(Host {
            shared,
            inbound: rx,
            local,
            seats: BTreeMap::new(),
            last_publish: None,
            publish_due: false,
        })
    }

    /// The address actually listened on (the port, when bound to port 0).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Called from a network thread whenever something arrives for `pump`.
    pub fn set_waker(&self, waker: Waker) {
        *self
            .shared
            .waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(waker);
    }

    /// The seats connected now, by seat id.
    #[must_use]
    pub fn connected(&self) -> Vec<ConnectionInfo> {
        self.seats
            .iter()
            .map(|(seat, c)| ConnectionInfo {
                seat: seat.clone(),
                peer: c.peer,
                since: c.since,
            })
            .collect()
    }

    /// Asks the next `pump` to send fresh views at once, e.g. after the owner applied a command itself.
    pub fn views_changed(&mut self) {
        self.publish_due = true;
    }

    /// Does everything the network asked since the last call, without blocking: registers joins, applies
    /// each action as the acting connection's own seat and replies, drops those that left, and sends each
    /// connected seat its view when it changed. Call it often from the thread that owns the exercise.
    pub fn pump(&mut self, session: &mut Session) -> Vec<HostEvent> {
        let mut events = Vec::new();
        while let Ok(message) = self.inbound.try_recv() {
            match message {
                Inbound::Joined {
                    conn,
                    seat,
                    peer,
                    outbox,
                } => self.join(session, conn, seat, peer, outbox, &mut events),
                Inbound::Act { conn, id, action } => {
                    // An action from a connection replaced meanwhile is dropped: it no longer holds the seat.
                    let Some((seat, connection)) = self.seats.iter().find(|(_, c)| c.conn == conn)
                    else {
                        continue;
                    };
                    let seat = seat.clone();
                    let outcome = session
                        .submit_seat_action(&seat, action.clone())
                        .map(|_| ())
                        .map_err(|e| e.reason());
                    let reply = ServerMessage::Result {
                        id,
                        ok: outcome.is_ok(),
                        refusal: outcome.clone().err(),
                    };
                    let _ = connection.outbox.send(Outbound::Send(reply.to_json()));
                    self.publish_due = true;
                    events.push(HostEvent::Acted {
                        seat,
                        action,
                        outcome,
                    });
                }
                Inbound::Left { conn, reason } => {
                    let seat = self
                        .seats
                        .iter()
                        .find(|(_, c)| c.conn == conn)
                        .map(|(s, _)| s.clone());
                    if let Some(seat) = seat
                        && let Some(gone) = self.seats.remove(&seat)
                    {
                        events.push(HostEvent::Left {
                            seat,
                            peer: gone.peer,
                            reason,
                        });
                    }
                }
                Inbound::TurnedAway { peer, reason } => {
                    events.push(HostEvent::TurnedAway { peer, reason });
                }
            }
        }
        let interval_over = self
            .last_publish
            .is_none_or(|t| t.elapsed() >= self.shared.limits.publish_interval);
        if self.publish_due || interval_over {
            self.publish(session);
        }
        events
    }

    /// Sends every connected seat its view if it changed since it was last sent.
    pub fn publish(&mut self, session: &mut Session) {
        self.publish_due = false;
        self.last_publish = Some(Instant::now());
        for (seat, connection) in &mut self.seats {
            let Some(view) = session.seat_view(seat) else {
                continue;
            };
            let json = ServerMessage::View {
                view: Box::new(view),
            }
            .to_json();
            if connection.last_view.as_ref() != Some(&json) {
                let _ = connection.outbox.send(Outbound::Send(json.clone()));
                connection.last_view = Some(json);
            }
        }
    }

    fn join(
        &mut self,
        session: &mut Session,
        conn: u64,
        seat: String,
        peer: SocketAddr,
        outbox: Sender<Outbound>,
        events: &mut Vec<HostEvent>,
    ) {
        let Some(view) = session
            .is_seat(&seat)
            .then(|| session.seat_view(&seat))
            .flatten()
        else {
            // A code for something that is not a seat of this exercise: the codes were made for another.
            let reason = "this join code is for no seat of the exercise being hosted";
            let _ = outbox.send(Outbound::Close(reason.into()));
            events.push(HostEvent::TurnedAway {
                peer,
                reason: reason.into(),
            });
            return;
        };
        let welcome = ServerMessage::Welcome {
            seat: seat.clone(),
            name: view.seat.name.clone(),
        };
        let json = ServerMessage::View {
            view: Box::new(view),
        }
        .to_json();
        let _ = outbox.send(Outbound::Send(welcome.to_json()));
        let _ = outbox.send(Outbound::Send(json.clone()));
        let replaced = self.seats.insert(
            seat.clone(),
            Connection {
                conn,
                peer,
                since: SystemTime::now(),
                outbox,
                last_view: Some(json),
            },
        );
        if let Some(old) = &replaced {
            let _ = old.outbox.send(Outbound::Close(
                "this seat was joined again from another connection".into(),
            ));
        }
        events.push(HostEvent::Joined {
            seat,
            peer,
            replaced: replaced.is_some(),
        });
    }
}

impl Host {
    /// Stops hosting: every participant is told the host stopped, and this waits (up to `patience`) for
    /// the goodbyes to go out, so a process that exits next does not cut them off.
    pub fn shutdown(self, patience: Duration) {
        let shared = self.shared.clone();
        drop(self);
        let until = Instant::now() + patience;
        while shared.open.load(Ordering::SeqCst) > 0 && Instant::now() < until {
            std::thread::sleep(wire::POLL);
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for connection in self.seats.values() {
            let _ = connection
                .outbox
                .send(Outbound::Close("the host stopped the exercise".into()));
        }
    }
}

/// Accepts connections until the host is dropped, a thread each, within the connection limit.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => {
                if shared.open.load(Ordering::SeqCst) >= shared.limits.max_connections {
                    // Closed unread: a flood must not cost a thread each.
                    drop(stream);
                    shared.tell(Inbound::TurnedAway {
                        peer,
                        reason: "too many connections".into(),
                    });
                    continue;
                }
                shared.open.fetch_add(1, Ordering::SeqCst);
                let serving = shared.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("tabletop-host-{peer}"))
                    .spawn(move || {
                        let _open = OpenGuard(&serving.open);
                        serve(stream, peer, &serving);
                    });
                if spawned.is_err() {
                    shared.open.fetch_sub(1, Ordering::SeqCst);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(wire::POLL);
            }
            // A connection that failed between SYN and accept; the listener itself is fine.
            Err(_) => std::thread::sleep(wire::POLL),
        }
    }
}

/// Counts a connection as open for as long as its thread runs, however it ends.
struct OpenGuard<'a>(&'a AtomicUsize);

impl Drop for OpenGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why a connection's read loop ended.
enum End {
    /// The peer closed or the socket broke; nothing more can be said to it.
    Gone(String),
    /// Tell the peer this and close.
    Refuse(String),
}

/// One connection from TCP to close: handshake and `hello` within the deadline, then the seat's loop.
fn serve(stream: TcpStream, peer: SocketAddr, shared: &Shared) {
    let deadline = Instant::now() + shared.limits.handshake_timeout;
    let Some(mut ws) = handshake(stream, deadline) else {
        shared.tell(Inbound::TurnedAway {
            peer,
            reason: "no WebSocket handshake in time".into(),
        });
        return;
    };
    let seat = match await_hello(&mut ws, deadline, shared) {
        Ok(seat) => seat,
        Err(end) => {
            let reason = match end {
                End::Gone(reason) => {
                    wire::close_with(ws, None);
                    reason
                }
                End::Refuse(reason) => {
                    let message = ServerMessage::Error {
                        message: reason.clone(),
                    };
                    wire::close_with(ws, Some(message.to_json()));
                    reason
                }
            };
            shared.tell(Inbound::TurnedAway { peer, reason });
            return;
        }
    };
    let conn = shared.next_conn.fetch_add(1, Ordering::SeqCst);
    let (outbox, mail) = channel();
    shared.tell(Inbound::Joined {
        conn,
        seat,
        peer,
        outbox,
    });
    let end = seat_loop(&mut ws, conn, &mail, shared);
    let reason = match end {
        End::Gone(reason) => {
            wire::close_with(ws, None);
            reason
        }
        End::Refuse(reason) => {
            let message = ServerMessage::Error {
                message: reason.clone(),
            };
            wire::close_with(ws, Some(message.to_json()));
            reason
        }
    };
    shared.tell(Inbound::Left { conn, reason });
}

/// The WebSocket handshake, resumed across poll timeouts until the deadline.
fn handshake(stream: TcpStream, deadline: Instant) -> Option<WebSocket<TcpStream>> {
    stream.set_nonblocking(false).ok()?;
    stream.set_nodelay(true).ok()?;
    stream.set_read_timeout(Some(wire::POLL)).ok()?;
    stream.set_write_timeout(Some(wire::WRITE_TIMEOUT)).ok()?;
    let mut attempt =
        tungstenite::accept_with_config(stream, Some(wire::config(MAX_MESSAGE_BYTES)));
    loop {
        match attempt {
            Ok(ws) => return Some(ws),
            Err(HandshakeError::Interrupted(mid)) if Instant::now() < deadline => {
                attempt = mid.handshake();
            }
            Err(_) => return None,
        }
    }
}

/// Reads until the first message, which must be a `hello` with a valid code; the seat it names.
fn await_hello(
    ws: &mut WebSocket<TcpStream>,
    deadline: Instant,
    shared: &Shared,
) -> Result<String, End> {
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Err(End::Refuse("the host stopped the exercise".into()));
        }
        if Instant::now() >= deadline {
            return Err(End::Refuse("no hello in time".into()));
        }
        match ws.read() {
            Ok(Message::Text(text)) => {
                return match serde_json::from_str::<ClientMessage>(text.as_str()) {
                    Ok(ClientMessage::Hello { code }) => shared
                        .seat_for(&code)
                        .ok_or_else(|| End::Refuse("this join code is not valid".into())),
                    Ok(ClientMessage::Act { .. }) => {
                        Err(End::Refuse("the first message must be a hello".into()))
                    }
                    Err(e) => Err(End::Refuse(malformed(&e))),
                };
            }
            Ok(other) => {
                if let Some(end) = non_text(&other) {
                    return Err(end);
                }
            }
            Err(e) if wire::is_idle(&e) => {}
            Err(e) => return Err(read_error(e)),
        }
    }
}

/// A joined seat's connection: forwards actions to `pump` and sends what `pump` posts, until either side
/// ends it.
fn seat_loop(
    ws: &mut WebSocket<TcpStream>,
    conn: u64,
    mail: &Receiver<Outbound>,
    shared: &Shared,
) -> End {
    let mut last_heard = Instant::now();
    let mut last_ping = Instant::now();
    loop {
        let read = ws.read();
        if read.is_ok() {
            last_heard = Instant::now();
        }
        match read {
            Ok(Message::Text(text)) => match serde_json::from_str::<ClientMessage>(text.as_str()) {
                Ok(ClientMessage::Act { id, action }) => {
                    shared.tell(Inbound::Act { conn, id, action });
                }
                Ok(ClientMessage::Hello { .. }) => {
                    return End::Refuse("hello was already received on this connection".into());
                }
                Err(e) => return End::Refuse(malformed(&e)),
            },
            Ok(other) => {
                if let Some(end) = non_text(&other) {
                    return end;
                }
            }
            Err(e) if wire::is_idle(&e) => {}
            Err(e) => return read_error(e),
        }
        loop {
            match mail.try_recv() {
                Ok(Outbound::Send(text)) => {
                    if let Err(e) = wire::send_text(ws, text) {
                        return End::Gone(format!("cannot write: {e}"));
                    }
                }
                Ok(Outbound::Close(reason)) => return End::Refuse(reason),
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    return End::Refuse("the host stopped the exercise".into());
                }
            }
        }
        if let Err(e) = wire::flush(ws) {
            return End::Gone(format!("cannot write: {e}"));
        }
        if last_heard.elapsed() >= wire::SILENCE_LIMIT {
            return End::Gone(format!("no answer for {} s", wire::SILENCE_LIMIT.as_secs()));
        }
        if last_ping.elapsed() >= wire::KEEPALIVE {
            last_ping = Instant::now();
            match ws.send(Message::Ping(Vec::new().into())) {
                Err(e) if !wire::is_idle(&e) => return End::Gone(format!("cannot write: {e}")),
                _ => {}
            }
        }
        // Checked after the outbox, so the last views posted before the host stopped still go out.
        if shared.stop.load(Ordering::SeqCst) {
            return End::Refuse("the host stopped the exercise".into());
        }
    }
}

/// What a frame other than text means: pings and pongs are fine, binary breaks the protocol, a close
/// ends the connection.
fn non_text(message: &Message) -> Option<End> {
    match message {
        Message::Binary(_) => Some(End::Refuse(
            "binary frames are not accepted: send JSON text".into(),
        )),
        Message::Close(_) => Some(End::Gone("closed by the participant".into())),
        Message::Text(_) | Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => None,
    }
}

fn malformed(error: &serde_json::Error) -> String {
    format!("malformed message: {error}")
}

fn read_error(error: tungstenite::Error) -> End {
    match error {
        tungstenite::Error::Capacity(e) => End::Refuse(format!(
            "message too large ({e}); the limit is {} KiB",
            MAX_MESSAGE_BYTES / 1024
        )),
        tungstenite::Error::Protocol(e) => End::Refuse(format!("WebSocket protocol error: {e}")),
        tungstenite::Error::Utf8(e) => End::Refuse(format!("text frame is not UTF-8: {e}")),
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
            End::Gone("connection closed".into())
        }
        other => End::Gone(format!("connection lost: {other}")),
    }
}
