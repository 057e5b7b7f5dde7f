//! Raw printing to a networked printer's TCP port (JetDirect, usually 9100):
//! the job's bytes exactly as they are, then the connection closed. Such a
//! printer reports nothing back, so a job sent this way ends at "sent".

use super::problem::PrinterProblem;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// The port a raw printer listens on when its address names none.
pub const DEFAULT_PORT: u16 = 9100;

const CONNECT: Duration = Duration::from_secs(5);
const WRITE: Duration = Duration::from_secs(30);
const CHUNK: usize = 16 * 1024;

/// Splits `host:port` (or a bare host, or `[v6]:port`) into its parts.
pub fn split_address(address: &str) -> Result<(String, u16), String> {
    let address = address.trim();
    let (host, port) = if let Some(rest) = address.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or("an IPv6 address needs its closing ]")?;
        (host, after.strip_prefix(':'))
    } else if address.matches(':').count() == 1 {
        let (h, p) = address.split_once(':').unwrap_or((address, ""));
        (h, Some(p))
    } else {
        (address, None)
    };
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
        return Err(format!("“{address}” is not a printer address: write host:port, e.g. 192.168.1.40:9100"));
    }
    let port = match port {
        None => DEFAULT_PORT,
        Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| format!("“{p}” is not a port number"))?,
    };
    Ok((host.to_owned(), port))
}

/// Writes `bytes` to the printer at `address` and closes the connection.
pub async fn send(address: &str, bytes: &[u8]) -> Result<(), PrinterProblem> {
    let (host, port) =
        split_address(address).map_err(|reason| PrinterProblem::Unreachable { address: address.into(), reason })?;
    let shown = if host.contains(':') { format!("[{host}]:{port}") } else { format!("{host}:{port}") };
    let mut stream = match tokio::time::timeout(CONNECT, TcpStream::connect((host.as_str(), port))).await {
        Err(_) => return Err(PrinterProblem::TimedOut { address: shown, seconds: CONNECT.as_secs() }),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Err(PrinterProblem::Refused { address: shown, port });
        }
        Ok(Err(e)) => return Err(PrinterProblem::Unreachable { address: shown, reason: e.to_string() }),
        Ok(Ok(s)) => s,
    };
    let mut sent = 0;
    for chunk in bytes.chunks(CHUNK) {
        match tokio::time::timeout(WRITE, stream.write_all(chunk)).await {
            Ok(Ok(())) => sent += chunk.len(),
            Ok(Err(e)) => {
                return Err(PrinterProblem::Broken { address: shown, sent, total: bytes.len(), reason: e.to_string() });
            }
            Err(_) => return Err(PrinterProblem::TimedOut { address: shown, seconds: WRITE.as_secs() }),
        }
    }
    match tokio::time::timeout(WRITE, stream.shutdown()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(PrinterProblem::Broken { address: shown, sent, total: bytes.len(), reason: e.to_string() }),
        Err(_) => Err(PrinterProblem::TimedOut { address: shown, seconds: WRITE.as_secs() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_host_and_port() {
        assert_eq!(split_address("10.0.0.7:9101").unwrap(), ("10.0.0.7".into(), 9101));
        assert_eq!(split_address("zebra-1").unwrap(), ("zebra-1".into(), 9100));
        assert_eq!(split_address("[fe80::1]:9100").unwrap(), ("fe80::1".into(), 9100));
        assert!(split_address("zebra:0").is_err());
        assert!(split_address("zebra:99999").is_err());
        assert!(split_address("").is_err());
        assert!(split_address("http://zebra/").is_err());
    }
}
