package dev.cct.run;

import java.util.List;

/**
 * What a run's results hold in the user's terms: files Claude created (a rename's new name included), files it
 * modified, and how many uploads came back as they went.
 */
record ResultChanges(List<String> created, List<String> modified, int unchanged) {
    ResultChanges {
        created = List.copyOf(created);
        modified = List.copyOf(modified);
    }

    int produced() {
        return created.size() + modified.size();
    }
}
