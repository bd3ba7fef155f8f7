import Foundation
import SystemSupport

/// The final report of a run, in the run's folder: `report.md` (per node, per step: result and time) and
/// `report.html` (the same with a timeline picture of the phases per node).
public enum ReportWriter {
    /// One step's span on the timeline.
    struct Span {
        var node: String
        var step: String
        var start: Date
        var end: Date
        var failed: Bool
    }

    /// Writes both files; failures to write are reported on stderr and otherwise ignored.
    public static func write(events: [RunEvent], plan: RollPlan, outcome: RunOutcome, directory: String) {
        let spans = self.spans(events)
        do {
            try markdown(events: events, spans: spans, plan: plan, outcome: outcome)
                .write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try html(spans: spans, plan: plan, outcome: outcome)
                .write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        } catch {
            writeAll(fd: STDERR_FILENO, "asroll: could not write the report in \(directory): \(error)\n")
        }
    }

    static func spans(_ events: [RunEvent]) -> [Span] {
        var open: [String: Date] = [:]
        var spans: [Span] = []
        for event in events {
            guard let node = event.node, let step = event.step else { continue }
            let key = node + "/" + step
            switch event.event {
            case .stepStarted:
                open[key] = event.time
            case .stepFinished, .stepFailed:
                if let start = open.removeValue(forKey: key) {
                    spans.append(Span(node: node, step: step, start: start, end: event.time,
                                      failed: event.event == .stepFailed))
                }
            default:
                break
            }
        }
        return spans
    }

    static func outcomeLine(_ outcome: RunOutcome) -> String {
        switch outcome {
        case .finished: "finished: every selected node done"
        case .halted(let failure): "HALTED at \(failure.node) \(failure.step.rawValue): \(failure.message)"
        case .interrupted: "interrupted by the operator"
        case .refused(let reason): "refused: \(reason)"
        }
    }

    static func markdown(events: [RunEvent], spans: [Span], plan: RollPlan, outcome: RunOutcome) -> String {
        var out = ["# asroll report: \(plan.inventory.cluster), playbook \(plan.playbook.name)", ""]
        out.append("**Outcome:** \(outcomeLine(outcome))")
        if let first = events.first?.time, let last = events.last?.time {
            out.append("")
            out.append("Started \(Timestamp.iso8601(first)), ended \(Timestamp.iso8601(last)) "
                + "(\(Duration.seconds(last.timeIntervalSince(first)).formattedSeconds)).")
        }
        let warnings = events.filter { $0.event == .warning }
        if !warnings.isEmpty {
            out.append("")
            out.append("## Warnings")
            for warning in warnings { out.append("- \(warning.message)") }
        }
        for node in plan.nodes {
            out.append("")
            let mode = node.mode.isWarm ? "warm" : "cold (" + node.mode.coldReasons.map(\.message).joined(separator: "; ") + ")"
            out.append("## \(node.node.name): planned \(mode)")
            out.append("")
            out.append("| step | result | time |")
            out.append("|---|---|---|")
            for span in spans where span.node == node.node.name {
                let took = Duration.seconds(span.end.timeIntervalSince(span.start)).formattedSeconds
                out.append("| \(span.step) | \(span.failed ? "FAILED" : "done") | \(took) |")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func html(spans: [Span], plan: RollPlan, outcome: RunOutcome) -> String {
        let names = plan.nodes.map(\.node.name)
        let start = spans.map(\.start).min() ?? Date()
        let end = spans.map(\.end).max() ?? start
        let total = max(end.timeIntervalSince(start), 1)
        let width = 1000.0
        let row = 28.0
        let left = 90.0
        var bars: [String] = []
        let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                       "#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#8cd17d", "#499894", "#f1ce63"]
        let steps = StepKind.allCases.map(\.rawValue)
        for (index, name) in names.enumerated() {
            let y = Double(index) * row + 20
            bars.append("<text x=\"4\" y=\"\(y + 17)\" font-size=\"13\">\(escape(name))</text>")
            for span in spans where span.node == name {
                let x = left + span.start.timeIntervalSince(start) / total * width
                let w = max(1, span.end.timeIntervalSince(span.start) / total * width)
                let color = span.failed ? "#d00" : palette[(steps.firstIndex(of: span.step) ?? 0) % palette.count]
                let took = Duration.seconds(span.end.timeIntervalSince(span.start)).formattedSeconds
                bars.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(row - 6)\" fill=\"\(color)\">"
                    + "<title>\(escape(name)) \(escape(span.step)): \(took)</title></rect>")
            }
        }
        let legend = steps.enumerated().map { index, step in
            "<span style=\"background:\(palette[index % palette.count]);color:#fff;padding:1px 5px;margin:2px\">"
                + "\(step)</span>"
        }.joined(separator: " ")
        let height = Double(names.count) * row + 40
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>asroll report \(escape(plan.inventory.cluster))</title>
            <style>body{font-family:sans-serif;margin:20px}</style></head><body>
            <h1>asroll: \(escape(plan.inventory.cluster)), playbook \(escape(plan.playbook.name))</h1>
            <p><b>Outcome:</b> \(escape(outcomeLine(outcome)))</p>
            <p>Timeline of the phases per node (\(Duration.seconds(total).formattedSeconds) in all; hover for times).</p>
            <svg width="\(Int(left + width + 20))" height="\(Int(height))" xmlns="http://www.w3.org/2000/svg">
            \(bars.joined(separator: "\n"))
            </svg>
            <p>\(legend)</p>
            </body></html>

            """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
