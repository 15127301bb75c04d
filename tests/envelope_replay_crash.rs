//! The replay store survives a process killed mid-write: every insert that returned is still
//! there after a restart (nothing lost, so nothing can be accepted twice), and the store still
//! opens and accepts new entries.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use privshare::envelope::{ParticipantId, ReplayStore};
use privshare::ErrorKind;

const CHILD_ENV: &str = "PRIVSHARE_REPLAY_CRASH_CHILD";
const FAR: u64 = 4_000_000_000;

fn id(i: u64) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[8..].copy_from_slice(&i.to_be_bytes());
    a
}

fn sender() -> ParticipantId {
    "CN/GOV/111/tax".parse().unwrap()
}

/// In the child process: inserts ids from `start` until killed, announcing each acknowledged one.
#[test]
fn child_inserts_until_killed() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let (path, start) = spec.split_once('|').unwrap();
    let store = ReplayStore::open(path).unwrap();
    let mut i: u64 = start.parse().unwrap();
    loop {
        store.insert(&sender(), &id(i), FAR, 0).unwrap();
        println!("ack {i}");
        i += 1;
    }
}

#[test]
fn killed_mid_write_loses_nothing_acknowledged() {
    let dir = std::env::temp_dir().join(format!("privshare-replay-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("replay.store");
    let mut acked: Vec<u64> = Vec::new();
    let mut next = 0u64;
    for round in 0..5u64 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "child_inserts_until_killed", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, format!("{}|{next}", path.display()))
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let target = 20 + 37 * round; // kill at a different point each round
        let mut seen = 0;
        for line in lines.by_ref() {
            if let Some(n) = line.unwrap().strip_prefix("ack ") {
                acked.push(n.parse().unwrap());
                seen += 1;
                if seen == target {
                    break;
                }
            }
        }
        child.kill().unwrap(); // SIGKILL: no destructor, no flush
        for line in lines {
            if let Some(n) = line.unwrap().strip_prefix("ack ") {
                acked.push(n.parse().unwrap());
            }
        }
        child.wait().unwrap();
        let store = ReplayStore::open(&path).unwrap();
        for &i in &acked {
            assert!(store.contains(&sender(), &id(i), 0), "round {round}: acknowledged id {i} lost");
        }
        // The store is usable after the crash. The child may have written one more id than it
        // acknowledged (killed between the fsync and the print): start past it.
        next = acked.iter().max().unwrap() + 3;
        store.insert(&sender(), &id(next - 1), FAR, 0).unwrap();
        assert_eq!(store.insert(&sender(), &id(next - 1), FAR, 0).unwrap_err().kind(), ErrorKind::Replay);
    }
    let store = ReplayStore::open(&path).unwrap();
    for &i in &acked {
        assert_eq!(store.insert(&sender(), &id(i), FAR, 0).unwrap_err().kind(), ErrorKind::Replay);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
