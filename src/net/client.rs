//! A participant's side of a LAN seat: connects to a host with a join code, keeps the latest view and the
//! results of its actions, on a background thread, for the participant window or the text mode to read.

use std::net::{TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tungstenite::{Message, WebSocket};

use super::protocol::{ClientMessage, MAX_VIEW_BYTES, ServerMessage};
use super::wire;
use crate::sim::seat::{SeatAction, SeatView};

/// How long `connect` waits for the TCP connection and the WebSocket handshake.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Connected, waiting for the host to accept the code.
    Connecting,
    /// The host accepted the code: this is the seat.
    Connected { seat: String, name: String },
    /// The connection is over; the host's error message, or what broke.
    Closed { reason: String },
}

/// The answer to one action sent with `send`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionResult {
    pub id: u64,
    /// `Err` holds the rule's or the host's sentence.
    pub outcome: Result<(), String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("`{0}` is not a host address (expected HOST:PORT)")]
    Address(String),
    #[error("cannot reach {addr}")]
    Connect {
        addr: String,
        source: std::io::Error,
    },
    #[error("{addr} did not answer as a tabletop host: {message}")]
    Handshake { addr: String, message: String },
}

/// What the background thread updates and the owner reads.
struct State {
    status: Status,
    view: Option<SeatView>,
    views_received: u64,
    results: Vec<ActionResult>,
}

/// A connection to a host as one seat. Dropping it closes the connection.
pub struct Client {
    addr: String,
    code: String,
    state: Arc<Mutex<State>>,
    outbox: Sender<ClientMessage>,
    next_id: u64,
    waker: Arc<Mutex<Option<super::host::Waker>>>,
}

impl Client {
    /// Connects to the host at `addr` (`HOST:PORT`, `ws://` optional) and presents `code`. Returns once
    /// the WebSocket is open; whether the code is accepted shows in `status`.
    pub fn connect(addr: &str, code: &str) -> Result<Client, ClientError> {
        Client::connect_with_waker(addr, code, None)
    }

    /// `connect`, with a callback run (on the network thread) whenever something arrives.
    pub fn connect_with_waker(
        addr: &str,
        code: &str,
        waker: Option<super::host::Waker>,
    ) -> Result<Client, ClientError> {
        let ws = open(addr)?;
        let state = Arc::new(Mutex::new(State {
            status: Status::Connecting,
            view: None,
            views_received: 0,
            results: Vec::new(),
        }));
        let waker = Arc::new(Mutex::new(waker));
        let (outbox, mail) = channel();
        // The hello goes first, before anything `send` queues.
        let _ = outbox.send(ClientMessage::Hello {
            code: code.to_owned(),
        });
        let thread_state = state.clone();
        let thread_waker = waker.clone();
        std::thread::Builder::new()
            .name("tabletop-client".into())
            .spawn(move || run(ws, &mail, &thread_state, &thread_waker))
            .map_err(|e| ClientError::Connect {
                addr: addr.to_owned(),
                source: e,
            })?;
        Ok(Client {
            addr: addr.to_owned(),
            code: code.to_owned(),
            state,
            outbox,
            next_id: 1,
            waker,
        })
    }

    /// A fresh connection with the same address and code (after a drop): the host gives the same seat
    /// and its current view.
    pub fn reconnect(&self) -> Result<Client, ClientError> {
        let waker = self
            .waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Client::connect_with_waker(&self.addr, &self.code, waker)
    }

    /// Sets the callback run whenever something arrives (replacing any earlier one).
    pub fn set_waker(&self, waker: super::host::Waker) {
        *self.waker.lock().unwrap_or_else(PoisonError::into_inner) = Some(waker);
    }

    #[must_use]
    pub fn status(&self) -> Status {
        self.lock().status.clone()
    }

    /// The newest view the host sent.
    #[must_use]
    pub fn latest_view(&self) -> Option<SeatView> {
        self.lock().view.clone()
    }

    /// How many views have arrived: a cheap way to notice a new one.
    #[must_use]
    pub fn views_received(&self) -> u64 {
        self.lock().views_received
    }

    /// Sends an action for this seat; the returned id comes back in its `ActionResult`.
    pub fn send(&mut self, action: SeatAction) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let _ = self.outbox.send(ClientMessage::Act { id, action });
        id
    }

    /// The results that arrived since the last call, oldest first.
    #[must_use = "the results are removed from the client"]
    pub fn results(&self) -> Vec<ActionResult> {
        std::mem::take(&mut self.lock().results)
    }

    /// The address this client connects to.
    #[must_use]
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// Polls `check` until it holds or `timeout` passes; whether it held. For text mode and tests.
    pub fn wait_until(&self, timeout: Duration, mut check: impl FnMut(&Client) -> bool) -> bool {
        let until = Instant::now() + timeout;
        loop {
            if check(self) {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `HOST:PORT` or `ws://HOST:PORT[/]` to a socket address and the URL to ask for.
fn open(addr: &str) -> Result<WebSocket<TcpStream>, ClientError> {
    let bare = addr
        .trim()
        .trim_start_matches("ws://")
        .trim_end_matches('/');
    let targets: Vec<_> = bare
        .to_socket_addrs()
        .map_err(|_| ClientError::Address(addr.to_owned()))?
        .collect();
    let connect_error = |source| ClientError::Connect {
        addr: addr.to_owned(),
        source,
    };
    // A name can resolve to several addresses (`localhost` to ::1 and 127.0.0.1): the first that answers.
    let mut last_error = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
    let mut stream = None;
    for target in &targets {
        match TcpStream::connect_timeout(target, CONNECT_TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last_error = e,
        }
    }
    let stream = stream.ok_or_else(|| connect_error(last_error))?;
    stream.set_nodelay(true).map_err(connect_error)?;
    stream
        .set_read_timeout(Some(CONNECT_TIMEOUT))
        .map_err(connect_error)?;
    stream
        .set_write_timeout(Some(wire::WRITE_TIMEOUT))
        .map_err(connect_error)?;
    let url = format!("ws://{bare}/");
    let (ws, _response) = tungstenite::client::client_with_config(
        url.as_str(),
        stream,
        Some(wire::config(MAX_VIEW_BYTES)),
    )
    .map_err(|e| ClientError::Handshake {
        addr: addr.to_owned(),
        message: e.to_string(),
    })?;
    ws.get_ref()
        .set_read_timeout(Some(wire::POLL))
        .map_err(connect_error)?;
    Ok(ws)
}

/// The background thread: sends what the owner queued, records what the host sends, until closed.
fn run(
    mut ws: WebSocket<TcpStream>,
    mail: &Receiver<ClientMessage>,
    state: &Mutex<State>,
    waker: &Mutex<Option<super::host::Waker>>,
) {
    let wake = || {
        if let Some(w) = waker
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
        {
            w();
        }
    };
    let lock = || state.lock().unwrap_or_else(PoisonError::into_inner);
    let mut last_heard = Instant::now();
    let reason = loop {
        let read = ws.read();
        if read.is_ok() {
            last_heard = Instant::now();
        } else if last_heard.elapsed() >= wire::SILENCE_LIMIT {
            // The host pings every few seconds; this much silence means it or the network is gone.
            break format!(
                "the host stopped answering ({} s without a word)",
                wire::SILENCE_LIMIT.as_secs()
            );
        }
        match read {
            Ok(Message::Text(text)) => {
                match serde_json::from_str::<ServerMessage>(text.as_str()) {
                    Ok(message) => record(&mut lock(), message),
                    Err(e) => break format!("the host sent something unreadable: {e}"),
                }
                wake();
            }
            // A close frame is answered by tungstenite; the read after it reports the end.
            Ok(_) => {}
            Err(e) if wire::is_idle(&e) => {}
            Err(tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed) => {
                break "the host closed the connection".to_owned();
            }
            Err(e) => break format!("connection lost: {e}"),
        }
        let mut dropped = false;
        loop {
            match mail.try_recv() {
                Ok(message) => {
                    if let Err(e) = wire::send_text(&mut ws, message.to_json()) {
                        dropped = true;
                        lock().status = Status::Closed {
                            reason: format!("cannot write: {e}"),
                        };
                        break;
                    }
                }
                Err(TryRecvError::Empty) => break,
                // The `Client` was dropped: leave politely.
                Err(TryRecvError::Disconnected) => {
                    dropped = true;
                    break;
                }
            }
        }
        if dropped {
            wire::close_with(ws, None);
            let mut state = lock();
            if !matches!(state.status, Status::Closed { .. }) {
                state.status = Status::Closed {
                    reason: "disconnected".into(),
                };
            }
            drop(state);
            wake();
            return;
        }
        if let Err(e) = wire::flush(&mut ws) {
            break format!("cannot write: {e}");
        }
    };
    let mut state = lock();
    // An error message from the host says more than the broken socket that followed it.
    if !matches!(state.status, Status::Closed { .. }) {
        state.status = Status::Closed { reason };
    }
    drop(state);
    wake();
}

fn record(state: &mut State, message: ServerMessage) {
    match message {
        ServerMessage::Welcome { seat, name } => state.status = Status::Connected { seat, name },
        ServerMessage::View { view } => {
            state.view = Some(*view);
            state.views_received += 1;
        }
        ServerMessage::Result { id, ok, refusal } => state.results.push(ActionResult {
            id,
            outcome: if ok {
                Ok(())
            } else {
                Err(refusal.unwrap_or_default())
            },
        }),
        ServerMessage::Error { message } => state.status = Status::Closed { reason: message },
    }
}
