//! The facilitator's side of LAN seats: a WebSocket server whose threads only accept, read and write,
//! while every action is applied on the owner's thread in `Host::pump`, so the engine stays the single
//! authority and is never touched from a network thread.

use std::collections::{BTreeMap, VecDeque};
use std::net::{SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use tungstenite::handshake::HandshakeError;
use tungstenite::{Message, WebSocket};

use super::code::JoinCode;
use super::protocol::{ClientMessage, MAX_MESSAGE_BYTES, MAX_VIEW_BYTES, ServerMessage};
use super::wire;
use crate::session::Session;
use crate::sim::seat::{ItemKind, SeatAction, SeatView};

/// Limits that keep a misbehaving client, or anyone on the room's network, from exhausting the host or
/// locking the participants out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostLimits {
    /// Connections open at once, joined and joining; more are closed on arrival.
    pub max_connections: usize,
    /// Connections that have not yet joined a seat (no valid `hello` yet). When they are this many, a new
    /// arrival pushes out the oldest of them (preferring one that has not even finished the WebSocket
    /// handshake), so idle connections without a code can never keep a participant out.
    pub max_pending: usize,
    /// Time from the TCP connection to a valid `hello`; a client slower than that is dropped.
    pub handshake_timeout: Duration,
    /// How often views are recomputed when nothing happened over the network (the clock still moves).
    pub publish_interval: Duration,
    /// Actions a seat may send per second, on average; more are answered "not applied" and never reach
    /// the exercise or its journal.
    pub actions_per_second: u32,
    /// Actions a seat may send at once before the rate applies (a burst of clicks).
    pub action_burst: u32,
    /// How long a write may wait on a participant's machine that is not reading before it is dropped.
    pub stall_limit: Duration,
}

impl HostLimits {
    /// Room for every seat twice over (a rejoin overlaps the connection it replaces), joining ones, and a
    /// few strays.
    #[must_use]
    pub fn for_seats(seats: usize) -> HostLimits {
        let max_pending = 32;
        HostLimits {
            max_connections: seats
                .saturating_mul(2)
                .saturating_add(16)
                .saturating_add(max_pending),
            max_pending,
            handshake_timeout: Duration::from_secs(10),
            publish_interval: Duration::from_millis(200),
            actions_per_second: 5,
            action_burst: 20,
            stall_limit: wire::SILENCE_LIMIT,
        }
    }
}

/// Messages other than views that may wait for one slow connection (results, the welcome); a participant
/// further behind than that is dropped rather than queued for without limit.
const MAX_QUEUED: usize = 64;

/// The largest view sent to a seat: half of what a client accepts (`MAX_VIEW_BYTES`), so a seat whose
/// inbox grew long is never cut off. Beyond it, the oldest shared messages travel without their text.
pub const MAX_SENT_VIEW_BYTES: usize = MAX_VIEW_BYTES / 2;

/// A participant who keeps sending faster than the rate after this many refusals in a row is dropped.
const MAX_RATE_REFUSALS: u32 = 1_000;

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
        mailbox: Arc<Mailbox>,
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

/// From `pump` to one connection's thread: a few messages in order, and the seat's latest view. A view
/// replaces the one not yet sent (only the newest matters), so a participant who reads slowly costs the
/// host one view, never a backlog; one further behind than `MAX_QUEUED` messages is dropped.
#[derive(Default)]
struct Mailbox {
    mail: Mutex<Mail>,
}

#[derive(Default)]
struct Mail {
    messages: VecDeque<String>,
    view: Option<String>,
    /// Send this error and close, after what is already queued.
    close: Option<String>,
}

impl Mailbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Mail> {
        self.mail.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn post(&self, text: String) {
        let mut mail = self.lock();
        if mail.messages.len() >= MAX_QUEUED {
            mail.close.get_or_insert_with(|| {
                "your connection is too slow to keep up; join again when it is better".into()
            });
        } else {
            mail.messages.push_back(text);
        }
    }

    fn post_view(&self, text: String) {
        self.lock().view = Some(text);
    }

    fn close(&self, reason: impl Into<String>) {
        self.lock().close.get_or_insert_with(|| reason.into());
    }

    /// Everything waiting: the messages, then the view, then whether to close.
    fn take(&self) -> (VecDeque<String>, Option<String>, Option<String>) {
        let mut mail = self.lock();
        (
            std::mem::take(&mut mail.messages),
            mail.view.take(),
            mail.close.clone(),
        )
    }

    /// Only whether to close (while earlier writes are still under way).
    fn closing(&self) -> Option<String> {
        self.lock().close.clone()
    }
}

/// A connection that has not joined a seat yet, as the accept loop keeps it.
struct Pending {
    conn: u64,
    peer: SocketAddr,
    /// Set by its thread once the WebSocket handshake is done (it then only waits for `hello`).
    handshaken: Arc<AtomicBool>,
    /// Set by the accept loop to push it out.
    evicted: Arc<AtomicBool>,
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
    /// Connections still joining, oldest first.
    pending: Mutex<VecDeque<Pending>>,
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
    mailbox: Arc<Mailbox>,
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
            pending: Mutex::new(VecDeque::new()),
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
                    mailbox,
                } => self.join(session, conn, seat, peer, mailbox, &mut events),
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
                    connection.mailbox.post(reply.to_json());
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
            let json = view_message(view);
            if connection.last_view.as_ref() != Some(&json) {
                connection.mailbox.post_view(json.clone());
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
        mailbox: Arc<Mailbox>,
        events: &mut Vec<HostEvent>,
    ) {
        let Some(view) = session
            .is_seat(&seat)
            .then(|| session.seat_view(&seat))
            .flatten()
        else {
            // A code for something that is not a seat of this exercise: the codes were made for another.
            let reason = "this join code is for no seat of the exercise being hosted";
            mailbox.close(reason);
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
        let json = view_message(view);
        mailbox.post(welcome.to_json());
        mailbox.post_view(json.clone());
        let replaced = self.seats.insert(
            seat.clone(),
            Connection {
                conn,
                peer,
                since: SystemTime::now(),
                mailbox,
                last_view: Some(json),
            },
        );
        if let Some(old) = &replaced {
            old.mailbox
                .close("this seat was joined again from another connection");
        }
        events.push(HostEvent::Joined {
            seat,
            peer,
            replaced: replaced.is_some(),
        });
    }
}

/// A seat's view as the message that carries it, within `MAX_SENT_VIEW_BYTES`: when the inbox is too
/// long, the oldest shared messages lose their text (their subject, sender and label stay), newest kept.
fn view_message(mut view: SeatView) -> String {
    let json = ServerMessage::View {
        view: Box::new(view.clone()),
    }
    .to_json();
    if json.len() <= MAX_SENT_VIEW_BYTES {
        return json;
    }
    let mut excess = json.len() - MAX_SENT_VIEW_BYTES;
    let note = "(text not carried: this inbox is too long to send whole; ask the sender again)";
    // The inbox is newest first: trim from its end.
    for item in view.inbox.iter_mut().rev() {
        if excess == 0 {
            break;
        }
        if item.kind == ItemKind::Shared && item.body.len() > note.len() {
            // What the text takes in the JSON, escapes included.
            let carried = serde_json::to_string(&item.body).map_or(item.body.len(), |j| j.len());
            excess = excess.saturating_sub(carried.saturating_sub(note.len()));
            note.clone_into(&mut item.body);
        }
    }
    ServerMessage::View {
        view: Box::new(view),
    }
    .to_json()
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
            connection.mailbox.close("the host stopped the exercise");
        }
    }
}

/// Accepts connections until the host is dropped, a thread each, within the connection limits.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, peer)) => admit(stream, peer, shared),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(wire::POLL);
            }
            // A connection that failed between SYN and accept; the listener itself is fine.
            Err(_) => std::thread::sleep(wire::POLL),
        }
    }
}

/// Gives a new connection its thread, making room among the joining ones first if they are too many.
fn admit(stream: TcpStream, peer: SocketAddr, shared: &Arc<Shared>) {
    let conn = shared.next_conn.fetch_add(1, Ordering::SeqCst);
    let handshaken = Arc::new(AtomicBool::new(false));
    let evicted = Arc::new(AtomicBool::new(false));
    {
        let mut pending = shared
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if shared.open.load(Ordering::SeqCst) >= shared.limits.max_connections {
            // Closed unread: a flood must not cost a thread each.
            drop(stream);
            shared.tell(Inbound::TurnedAway {
                peer,
                reason: "too many connections".into(),
            });
            return;
        }
        if pending.len() >= shared.limits.max_pending {
            // The oldest that has not even finished its WebSocket handshake goes first: a real client
            // finishes it within milliseconds, an idle connection never does.
            let victim = pending
                .iter()
                .position(|p| !p.handshaken.load(Ordering::SeqCst))
                .unwrap_or(0);
            if let Some(out) = pending.remove(victim) {
                out.evicted.store(true, Ordering::SeqCst);
                shared.tell(Inbound::TurnedAway {
                    peer: out.peer,
                    reason: "dropped to make room: it had not joined a seat".into(),
                });
            }
        }
        pending.push_back(Pending {
            conn,
            peer,
            handshaken: handshaken.clone(),
            evicted: evicted.clone(),
        });
    }
    shared.open.fetch_add(1, Ordering::SeqCst);
    let serving = shared.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("tabletop-host-{peer}"))
        .spawn(move || {
            let _open = OpenGuard(&serving.open);
            serve(stream, peer, conn, &handshaken, &evicted, &serving);
            serving.forget_pending(conn);
        });
    if spawned.is_err() {
        shared.open.fetch_sub(1, Ordering::SeqCst);
        shared.forget_pending(conn);
    }
}

impl Shared {
    /// The connection joined a seat or ended: it no longer counts as joining.
    fn forget_pending(&self, conn: u64) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|p| p.conn != conn);
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
fn serve(
    stream: TcpStream,
    peer: SocketAddr,
    conn: u64,
    handshaken: &AtomicBool,
    evicted: &AtomicBool,
    shared: &Shared,
) {
    let deadline = Instant::now() + shared.limits.handshake_timeout;
    let Some(mut ws) = handshake(stream, deadline, evicted) else {
        if !evicted.load(Ordering::SeqCst) {
            shared.tell(Inbound::TurnedAway {
                peer,
                reason: "no WebSocket handshake in time".into(),
            });
        }
        return;
    };
    handshaken.store(true, Ordering::SeqCst);
    let seat = match await_hello(&mut ws, deadline, evicted, shared) {
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
            // An evicted connection was reported by the accept loop already.
            if !evicted.load(Ordering::SeqCst) {
                shared.tell(Inbound::TurnedAway { peer, reason });
            }
            return;
        }
    };
    shared.forget_pending(conn);
    let mailbox = Arc::new(Mailbox::default());
    shared.tell(Inbound::Joined {
        conn,
        seat,
        peer,
        mailbox: mailbox.clone(),
    });
    let end = seat_loop(&mut ws, conn, &mailbox, shared);
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
fn handshake(
    stream: TcpStream,
    deadline: Instant,
    evicted: &AtomicBool,
) -> Option<WebSocket<TcpStream>> {
    stream.set_nonblocking(false).ok()?;
    stream.set_nodelay(true).ok()?;
    stream.set_read_timeout(Some(wire::POLL)).ok()?;
    // Writes give up after one poll, like reads, so a participant who stops reading never holds up this
    // thread: what is unwritten waits in the WebSocket's buffer and `seat_loop` measures how long.
    stream.set_write_timeout(Some(wire::POLL)).ok()?;
    let mut attempt =
        tungstenite::accept_with_config(stream, Some(wire::config(MAX_MESSAGE_BYTES)));
    loop {
        match attempt {
            Ok(ws) => return Some(ws),
            Err(HandshakeError::Interrupted(mid))
                if Instant::now() < deadline && !evicted.load(Ordering::SeqCst) =>
            {
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
    evicted: &AtomicBool,
    shared: &Shared,
) -> Result<String, End> {
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Err(End::Refuse("the host stopped the exercise".into()));
        }
        if evicted.load(Ordering::SeqCst) {
            return Err(End::Gone("dropped to make room".into()));
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

/// A joined seat's connection: forwards actions to `pump` (within the action rate) and sends what `pump`
/// posts, until either side ends it. Nothing new is taken from the mailbox while an earlier write is still
/// under way, so a participant who stops reading holds one view and a few results, never a backlog, and is
/// dropped once its writes have been stuck for `wire::SILENCE_LIMIT`.
fn seat_loop(ws: &mut WebSocket<TcpStream>, conn: u64, mailbox: &Mailbox, shared: &Shared) -> End {
    let mut last_heard = Instant::now();
    let mut last_ping = Instant::now();
    let mut rate = ActionRate::new(shared.limits);
    // Since when a write has been waiting on the participant's machine to read.
    let mut stuck_since: Option<Instant> = None;
    loop {
        let read = ws.read();
        if read.is_ok() {
            last_heard = Instant::now();
        }
        match read {
            Ok(Message::Text(text)) => match serde_json::from_str::<ClientMessage>(text.as_str()) {
                Ok(ClientMessage::Act { id, action }) => match rate.admit() {
                    Ok(()) => shared.tell(Inbound::Act { conn, id, action }),
                    Err(refusal) => {
                        let reply = ServerMessage::Result {
                            id,
                            ok: false,
                            refusal: Some(refusal),
                        };
                        mailbox.post(reply.to_json());
                        if rate.refused_in_a_row > MAX_RATE_REFUSALS {
                            return End::Refuse(
                                "too many actions, too fast: the connection is closed".into(),
                            );
                        }
                    }
                },
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
        match wire::flush_all(ws) {
            Ok(true) => stuck_since = None,
            Ok(false) => {
                let since = *stuck_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= shared.limits.stall_limit {
                    return End::Gone(format!(
                        "its machine read nothing for {} s",
                        shared.limits.stall_limit.as_secs()
                    ));
                }
            }
            Err(e) => return End::Gone(format!("cannot write: {e}")),
        }
        if stuck_since.is_none() {
            let (messages, view, close) = mailbox.take();
            for text in messages.into_iter().chain(view) {
                if let Err(e) = wire::send_text(ws, text) {
                    return End::Gone(format!("cannot write: {e}"));
                }
            }
            if let Some(reason) = close {
                return End::Refuse(reason);
            }
        } else if let Some(reason) = mailbox.closing() {
            return End::Gone(reason);
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
        // Checked after the mailbox, so the last views posted before the host stopped still go out.
        if shared.stop.load(Ordering::SeqCst) {
            return End::Refuse("the host stopped the exercise".into());
        }
    }
}

/// A token bucket per connection: `action_burst` actions at once, then `actions_per_second`.
struct ActionRate {
    tokens: f64,
    burst: f64,
    per_second: f64,
    last: Instant,
    refused_in_a_row: u32,
}

impl ActionRate {
    fn new(limits: HostLimits) -> ActionRate {
        ActionRate {
            tokens: f64::from(limits.action_burst),
            burst: f64::from(limits.action_burst),
            per_second: f64::from(limits.actions_per_second),
            last: Instant::now(),
            refused_in_a_row: 0,
        }
    }

    /// Takes a token, or says why not (the sentence the participant gets).
    fn admit(&mut self) -> Result<(), String> {
        let now = Instant::now();
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.refused_in_a_row = 0;
            Ok(())
        } else {
            self.refused_in_a_row += 1;
            Err(format!(
                "not applied: too many actions at once (at most {} a second); wait a moment and send it again",
                self.per_second
            ))
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
