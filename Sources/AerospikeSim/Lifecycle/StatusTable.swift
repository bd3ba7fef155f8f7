/// Renders `asroll-sim status`.
public enum StatusTable {
    /// A fixed-width table of the rows.
    public static func render(_ rows: [NodeStatusRow]) -> String {
        var table = [["NODE", "ADDRESS", "SSH", "ASD", "SIZE", "CLUSTER KEY", "MIGRATIONS", "QUIESCED", "UNIT",
                      "SEGMENTS", "BOOT ID", "FAULTS"]]
        for row in rows {
            table.append([row.node, row.address, row.ssh, row.asd, row.clusterSize.map(String.init) ?? "-",
                          row.clusterKey ?? "-", row.migrations.map(String.init) ?? "-", row.quiesced, row.unit,
                          String(row.segments), String(row.bootID.prefix(8)),
                          row.faults.isEmpty ? "-" : row.faults.joined(separator: ",")])
        }
        var widths = Array(repeating: 0, count: table[0].count)
        for line in table {
            for (column, cell) in line.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        return table.map { line in
            line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
