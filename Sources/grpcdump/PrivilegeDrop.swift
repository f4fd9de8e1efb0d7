import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// tcpdump's `-Z`: a live capture opens the interface as root (or with CAP_NET_RAW), then
/// becomes an unprivileged user before it parses a single packet, so a flaw in a decoder reached
/// by hostile traffic does not run as root.
enum PrivilegeDrop {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The user to become: the one named with `-Z`, or `nobody` when running as root.
    static func user(named name: String?) -> String? {
        name ?? (geteuid() == 0 ? "nobody" : nil)
    }

    /// The user who ran grpcdump through sudo, whose files (`-w`) should stay theirs.
    static var invokingUser: (uid: uid_t, gid: gid_t)? {
        guard geteuid() == 0, let uid = environmentNumber("SUDO_UID"), let gid = environmentNumber("SUDO_GID") else { return nil }
        return (uid, gid)
    }

    /// Becomes `name` on every thread; returns its uid. The change is made on the main thread
    /// (`MainThread`), from which glibc carries it to the others; every thread is then checked
    /// (Linux: /proc/self/task).
    static func drop(to name: String) throws(Failure) -> uid_t {
        let outcome = MainThread.perform { Result { () throws(Failure) in try change(to: name) } }
        let uid = try outcome.get()
        if let kept = threadsNotRunningAs(uid), !kept.isEmpty {
            throw Failure(description: "-Z \(name): threads \(kept.map(String.init).joined(separator: ", ")) still run as another user")
        }
        return uid
    }

    /// The threads whose real, effective or saved user is not `uid`; nil when /proc cannot tell.
    static func threadsNotRunningAs(_ uid: uid_t) -> [Int]? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
        return tasks.compactMap { task in
            guard let status = try? String(contentsOfFile: "/proc/self/task/\(task)/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { return nil }
            let ids = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().prefix(3)
            return ids.allSatisfy { UInt32($0) == uid } ? nil : Int(task)
        }
    }

    /// Becomes `name` on this thread (its groups, group and user, in that order, so that none is
    /// kept); returns its uid. Checks that root cannot be regained.
    private static func change(to name: String) throws(Failure) -> uid_t {
        guard let entry = getpwnam(name) else { throw Failure(description: "-Z \(name): no such user") }
        let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        if getuid() == uid, geteuid() == uid { return uid }  // already that user
        func failure(_ step: String) -> Failure {
            Failure(description: "-Z \(name): cannot \(step): \(String(cString: strerror(errno))) (only root can change user)")
        }
        guard initgroups(name, gid) == 0 else { throw failure("set the groups of \(name)") }
        guard setgid(gid) == 0 else { throw failure("change to group \(gid)") }
        guard setuid(uid) == 0 else { throw failure("change to user \(uid)") }
        guard uid == 0 || setuid(0) != 0 else { throw Failure(description: "-Z \(name): root could be regained after the change") }
        return uid
    }

    private static func environmentNumber(_ name: String) -> UInt32? {
        getenv(name).flatMap { UInt32(String(cString: $0)) }
    }
}
