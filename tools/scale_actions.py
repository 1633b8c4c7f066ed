"""The synthetic data's actions and its busiest actor (issue #20), for `tools.scale.Generator`.

Every other recommendation gets 1–5 actions, each with its timeline by the rules (`Generator.walk`): the entry
that opened it, and for most a report or two; their parents' roll-up is written by the write path's own
statement (`services.refresh_rollups`), so it is what an update would have left. One actor, `HEAVY_ACTOR`, is
responsible for every HEAVY_ACTOR_EVERY-th recommendation (20,000 of the large dataset's 300,000) and for nothing
else: the scorecard benchmark's actor (`tools.bench`)."""

from django.contrib.contenttypes.models import ContentType

from recommendations.models import Action, ActionUpdate, Actor, Recommendation
from recommendations.services import refresh_rollups

ACTIONS_EVERY = 2  # every other recommendation has actions...
MOST_ACTIONS = 5  # ...1 to 5 of them
LONGEST_ACTION_TIMELINE = 3  # entries: the opening one, and up to two reports (one in three is never reported)
HEAVY_ACTOR = "Ministry of Synthetic Follow-up"
HEAVY_ACTOR_EVERY = 15


class ActionsGenerator:
    """A mixin of `tools.scale.Generator`: its random source (`rng`), users, governments and text."""

    def make_heavy_actor(self):
        return Actor.objects.create(name=HEAVY_ACTOR, kind=Actor.Kind.GOVERNMENT,
                                    notes="Synthetic: responsible for a fifteenth of the recommendations.").pk

    def responsible(self, model, item):
        """The actors responsible for an item: 0–3 governments, and the heavy actor for every fifteenth
        recommendation (by id)."""
        actors = self.rng.sample(self.governments, self.rng.randint(0, 3))
        if model is Recommendation and item.pk % HEAVY_ACTOR_EVERY == 0:
            actors.append(self.heavy_actor)
        return actors

    def make_actions(self, items, walks):
        """Actions of every other recommendation of a batch (`walks`: their timelines, whose first entry dates
        them), each with its timeline and responsible actors; then the recommendations' roll-up."""
        parent_type = ContentType.objects.get_for_model(Recommendation)
        actions, action_walks = [], []
        for item, steps in list(zip(items, walks))[::ACTIONS_EVERY]:
            for number in range(1, self.rng.randint(1, MOST_ACTIONS) + 1):
                walk, status, progress = self.walk(steps[0][0], self.rng.randint(1, LONGEST_ACTION_TIMELINE))
                action_walks.append(walk)
                actions.append(Action(
                    parent_type=parent_type, parent_id=item.pk, number=number, title=self.words(3, 7).capitalize(),
                    weight=self.rng.randint(1, 3), meeting_id=item.session.meeting_id, status=status,
                    progress=progress, owner_id=self.rng.choice(self.users), last_update_at=walk[-1][0],
                    last_note=walk[-1][5], version=len(walk), last_report_at=walk[-1][0] if len(walk) > 1 else None,
                    **self.latest_public(walk),
                ))
        Action.objects.bulk_create(actions, batch_size=5_000)
        self.write_timeline(ActionUpdate, actions, action_walks)
        self.write_tags(Action, actions)
        refresh_rollups(Recommendation, [item.pk for item in items[::ACTIONS_EVERY]])
        return len(actions)
