//! The browser's `EventSource` as an async source of messages: the listeners push into a
//! channel that the live loop awaits. On the first `error` the source is closed at once, so the
//! browser never retries on its own with the spent single-use ticket (the loop reconnects with
//! a new one). Dropping the source closes it and frees its listeners.

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::StreamExt;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventSource, MessageEvent};

/// What the source said.
#[derive(Debug)]
pub enum Message {
    Opened,
    /// An event of one of the kinds subscribed: its `event:` name, `id:` and `data:`.
    Event {
        kind: &'static str,
        id: Option<u64>,
        data: String,
    },
    /// The connection failed or ended; the source is closed.
    Failed,
}

pub struct Source {
    source: EventSource,
    messages: UnboundedReceiver<Message>,
    _listeners: Vec<Closure<dyn FnMut(Event)>>,
}

impl Source {
    /// Opens `url` and listens for `open`, `error` and each of `kinds`.
    pub fn open(url: &str, kinds: &[&'static str]) -> Option<Source> {
        let source = EventSource::new(url).ok()?;
        let (sender, messages) = unbounded();
        let mut listeners = Vec::new();
        let mut listen = |name: &str, on: Box<dyn Fn(&Event) -> Message>| {
            let sender: UnboundedSender<Message> = sender.clone();
            let listener = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                let _ = sender.unbounded_send(on(&event));
            });
            if source
                .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
                .is_ok()
            {
                listeners.push(listener);
            }
        };
        listen("open", Box::new(|_| Message::Opened));
        let closing = source.clone();
        listen(
            "error",
            Box::new(move |_| {
                closing.close();
                Message::Failed
            }),
        );
        for kind in kinds.iter().copied() {
            listen(
                kind,
                Box::new(move |event| match event.dyn_ref::<MessageEvent>() {
                    Some(message) => Message::Event {
                        kind,
                        id: message.last_event_id().parse().ok(),
                        data: message.data().as_string().unwrap_or_default(),
                    },
                    None => Message::Failed,
                }),
            );
        }
        Some(Source {
            source,
            messages,
            _listeners: listeners,
        })
    }

    /// The next message; `Failed` once the source is closed.
    pub async fn next(&mut self) -> Message {
        self.messages.next().await.unwrap_or(Message::Failed)
    }
}

impl Drop for Source {
    fn drop(&mut self) {
        self.source.close();
    }
}
