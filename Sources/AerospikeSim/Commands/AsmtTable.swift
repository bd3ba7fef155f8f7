/// asmt's `draw_table`: every column as wide as its widest cell plus two blanks, a header, a dashed line, the rows.
enum AsmtTable {
    /// The table text, each line ending in a newline.
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = Array(repeating: 0, count: header.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }.joined() + "\n"
        }
        var text = line(header)
        text += line(widths.map { String(repeating: "-", count: $0) })
        for row in rows.dropFirst() { text += line(row) }
        return text
    }
}
