"""Our questions as jupyterquiz questions, for the benchmarks that compare the two.

jupyterquiz has four types: multiple_choice, many_choice, numeric and string. single ->
multiple_choice (the explanation goes into the right option's feedback), multiple ->
many_choice, truefalse -> multiple_choice (True/False), text -> string (case-insensitive,
each accepted answer), numeric -> numeric (a range of +- tolerance, or an exact value).
matching and ordering have no equivalent and are approximated: matching -> many_choice over
every left -> right pairing (n * n options, n correct); ordering -> multiple_choice over the
right order and 3 seeded wrong orders. MAPPABLE names the types that need no approximation.

kernel_quiz.py sends this file's source to its kernel, so it imports only what it uses.
"""
import random

from coursekit.model import Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse, display_order  # noqa: E402

MAPPABLE = {"single", "multiple", "truefalse", "text", "numeric"}


def to_jq(q):
    base = {"question": q.prompt}
    if isinstance(q, (SingleChoice, MultipleChoice)):
        right = {q.answer} if isinstance(q, SingleChoice) else set(q.answer)
        return {**base, "type": "multiple_choice" if isinstance(q, SingleChoice) else "many_choice",
                "answers": [{"answer": o.text, "correct": o.text in right,
                             "feedback": (o.feedback + " " + q.explanation).strip() if o.text in right
                             else (o.feedback or "Not correct.")} for o in display_order(q)]}
    if isinstance(q, TrueFalse):
        return {**base, "type": "multiple_choice", "answers": [
            {"answer": str(v), "correct": q.answer == v,
             "feedback": ((q.feedback_true if v else q.feedback_false) + " " + q.explanation).strip()}
            for v in (True, False)]}
    if isinstance(q, ShortText):
        return {**base, "type": "string", "answers": [
            {"answer": a, "correct": True, "match_case": False, "feedback": q.explanation} for a in q.accept]
            + [{"type": "default", "feedback": "Not correct."}]}
    if isinstance(q, Numeric):
        right = ({"type": "range", "range": [q.answer - q.tolerance, q.answer + q.tolerance + 1e-9]}
                 if q.tolerance else {"type": "value", "value": q.answer})
        return {**base, "type": "numeric", "answers": [
            {**right, "correct": True, "feedback": q.explanation}, {"type": "default", "feedback": "Not correct."}]}
    if isinstance(q, Matching):  # approximation: tick every correct pairing
        pairs = {(p.left, p.right) for p in q.pairs}
        return {**base, "type": "many_choice", "answers": [
            {"answer": f"{p.left} -> {r}", "correct": (p.left, r) in pairs,
             "feedback": q.explanation if (p.left, r) in pairs else "Not a pair."}
            for p in q.pairs for r in display_order(q)]}
    if isinstance(q, Ordering):  # approximation: pick the right order among four
        rng = random.Random(q.id)
        orders = [list(q.items)]
        while len(orders) < 4:
            order = list(q.items)
            rng.shuffle(order)
            if order not in orders:
                orders.append(order)
        return {**base, "type": "multiple_choice", "answers": [
            {"answer": " -> ".join(o), "correct": i == 0, "feedback": q.explanation if i == 0 else "Not this order."}
            for i, o in enumerate(orders)]}
    raise TypeError(type(q).__name__)
