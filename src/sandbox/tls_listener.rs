//! TLS connections for axum. Handshakes run in tasks of their own, so a slow or broken client
//! never holds up the others; each connection carries the certificate its client presented,
//! which the mutual-TLS aliases hand to their handlers (RFC 8705 §5).

use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::extract::connect_info::{ConnectInfo, Connected};
use axum::middleware::Next;
use axum::response::Response;
use axum::serve::IncomingStream;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use super::tls::{PresentedCertificate, TlsServer};

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Who is at the other end of a TLS connection.
#[derive(Clone, Debug)]
pub(crate) struct TlsPeer {
    pub(crate) certificate: Option<Arc<PresentedCertificate>>,
}

/// Connections whose handshake succeeded, in the order they did.
pub(crate) struct TlsListener {
    connections: mpsc::Receiver<(TlsStream<TcpStream>, TlsPeer)>,
}

impl TlsListener {
    /// Accepts on `listener` until this listener is dropped.
    pub(crate) fn new(listener: TcpListener, server: TlsServer) -> Self {
        let (tx, connections) = mpsc::channel(64);
        let acceptor = TlsAcceptor::from(server.config.clone());
        let server = Arc::new(server);
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = tx.closed() => return,
                    accepted = listener.accept() => accepted,
                };
                let Ok((tcp, _)) = accepted else {
                    // Out of file descriptors, say: wait rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let (tx, acceptor, server) = (tx.clone(), acceptor.clone(), server.clone());
                tokio::spawn(async move {
                    let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp));
                    if let Ok(Ok(stream)) = handshake.await {
                        let certificate = server.presented(stream.get_ref().1).map(Arc::new);
                        let _ = tx.send((stream, TlsPeer { certificate })).await;
                    }
                });
            }
        });
        Self { connections }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = TlsPeer;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.connections.recv().await {
            Some(connection) => connection,
            // The accepting task is gone only once this listener is: nothing more will come.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(TlsPeer { certificate: None })
    }
}

impl Connected<IncomingStream<'_, TlsListener>> for TlsPeer {
    fn connect_info(stream: IncomingStream<'_, TlsListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// Marks a request to a mutual-TLS alias, with the certificate its client presented, if any.
#[derive(Clone, Debug)]
pub(crate) struct AtAlias(pub(crate) Option<Arc<PresentedCertificate>>);

/// The middleware of the mutual-TLS aliases: hands the connection's certificate to the handler.
pub(crate) async fn read_certificate(mut request: Request, next: Next) -> Response {
    let certificate = request
        .extensions()
        .get::<ConnectInfo<TlsPeer>>()
        .and_then(|info| info.0.certificate.clone());
    request.extensions_mut().insert(AtAlias(certificate));
    next.run(request).await
}
