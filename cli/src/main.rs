//! `privshare`: protect a dataset under a sharing policy, seal it for another department, open
//! what arrived. See `docs/cli.md` for every command and its exit codes.

#![forbid(unsafe_code)]

mod audit;
mod data;
mod demo;
mod files;
mod keys;
mod pin;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use privshare::ErrorKind;

/// Share data between departments without leaking sensitive attributes.
#[derive(Parser)]
#[command(name = "privshare", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Print results as JSON (for scripts) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole path on synthetic data: two departments, a policy, share and open.
    Demo(demo::DemoArgs),
    /// Make and manage keysets, signing keys, recipient keys and the trust registry.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Find which columns of a CSV file hold personal data, and suggest a policy.
    Scan(data::ScanArgs),
    /// Check a policy (and, given them, the data and keyset it will run with), or pin its key versions.
    #[command(subcommand)]
    Policy(data::PolicyCommand),
    /// Protect a CSV file as a policy says.
    Protect(data::ProtectArgs),
    /// Protect a CSV file and seal it, with its report, for the policy's recipients.
    Share(data::ShareArgs),
    /// Verify and open a package that was shared with you.
    Open(data::OpenArgs),
    /// Decrypt the encrypted columns of a protected file (for a holder of the keyset).
    Reveal(data::ProtectArgs),
    /// Check an audit log, or list its records.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Print a shell completion script.
    Completions(CompletionArgs),
}

#[derive(Args)]
struct CompletionArgs {
    /// The shell.
    shell: clap_complete::Shell,
}

/// Where a keyset's passphrase comes from.
#[derive(Args, Clone)]
pub struct Passphrase {
    /// Environment variable holding the keyset's passphrase.
    #[arg(long, value_name = "VAR", default_value = "PRIVSHARE_PASSPHRASE")]
    passphrase_env: String,
    /// File holding the keyset's passphrase (its first line), instead of the environment.
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

/// A failure with the exit code it maps to.
pub struct Failure {
    code: u8,
    message: String,
}

impl From<privshare::Error> for Failure {
    fn from(e: privshare::Error) -> Failure {
        Failure { code: exit_code(e.kind()), message: located(&e) }
    }
}

impl Failure {
    /// A usage-level failure (exit code 1) with a message that says what to fix.
    pub fn new(message: impl Into<String>) -> Failure {
        Failure { code: 1, message: message.into() }
    }
}

/// The error's message with where it happened, as a person reads it.
fn located(e: &privshare::Error) -> String {
    let p = e.position();
    let mut at = Vec::new();
    if let Some(l) = p.line {
        at.push(format!("line {l}"));
    }
    if let Some(r) = p.row {
        at.push(format!("data row {}", r + 1));
    }
    if let Some(c) = &p.column {
        if !c.is_empty() {
            at.push(format!("column `{c}`"));
        }
    }
    if let Some(o) = p.offset {
        at.push(format!("byte {o}"));
    }
    let at = if at.is_empty() { String::new() } else { format!(" ({})", at.join(", ")) };
    format!("{}{at} [{}]", e.message(), e.kind())
}

/// Exit codes (documented in docs/cli.md): 1 the input, policy, keys or files need fixing;
/// 2 the command line is wrong (clap); 3 a package was rejected or an audit log does not verify;
/// 4 a bug.
fn exit_code(kind: ErrorKind) -> u8 {
    use ErrorKind::*;
    match kind {
        AuthenticationFailed | Replay | Expired | NotRecipient | UnknownSender | MalformedEnvelope | BadSignature
        | NotYetValid | CorruptedPayload | MalformedAuditLog | AuditLogTornTail | AuditLogMismatch
        | AuditLogTruncated | AuditLogForked => 3,
        Internal => 4,
        _ => 1,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(a) => demo::run(&a, cli.json),
        Command::Keys(c) => keys::run(c, cli.json),
        Command::Scan(a) => data::scan(&a, cli.json),
        Command::Policy(c) => data::policy(c, cli.json),
        Command::Protect(a) => data::protect(&a, cli.json),
        Command::Share(a) => data::share(&a, cli.json),
        Command::Open(a) => data::open(&a, cli.json),
        Command::Reveal(a) => data::reveal(&a, cli.json),
        Command::Audit(c) => audit::run(c, cli.json),
        Command::Completions(a) => {
            clap_complete::generate(a.shell, &mut Cli::command(), "privshare", &mut std::io::stdout());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("privshare: error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn rejected_packages_exit_3() {
        assert_eq!(exit_code(ErrorKind::BadSignature), 3);
        assert_eq!(exit_code(ErrorKind::Policy), 1);
        let e = privshare::Error::new(ErrorKind::InvalidInput, "bad").at_line(3).at_row(1).at_column("card");
        assert_eq!(located(&e), "bad (line 3, data row 2, column `card`) [invalid_input]");
    }
}
