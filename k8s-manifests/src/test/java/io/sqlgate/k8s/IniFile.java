package io.sqlgate.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The sections of an NDB config.ini, in file order (section names repeat: one [ndbd] per data node). */
record IniFile(List<Section> sections) {

    record Section(String name, Map<String, String> values) {

        String get(String key) {
            return values.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(key))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }

        int getInt(String key) {
            return Integer.parseInt(get(key));
        }
    }

    static IniFile parse(String text) {
        List<Section> sections = new ArrayList<>();
        Map<String, String> current = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new LinkedHashMap<>();
                sections.add(new Section(line.substring(1, line.length() - 1).strip().toLowerCase(), current));
            } else if (current != null && line.contains("=")) {
                int eq = line.indexOf('=');
                current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            } else {
                throw new IllegalArgumentException("unexpected line in config.ini: " + raw);
            }
        }
        return new IniFile(sections);
    }

    List<Section> all(String name) {
        return sections.stream().filter(section -> section.name().equals(name)).toList();
    }

    Optional<Section> one(String name) {
        List<Section> matches = all(name);
        if (matches.size() > 1) {
            throw new IllegalStateException("more than one [" + name + "] section");
        }
        return matches.stream().findFirst();
    }
}
