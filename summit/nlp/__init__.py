"""Summit's language pipeline: plain Python over text, no Django.

text --structure--> Document --spaCy + rules--> Analysis (people, mentions, quotes, claims)
"""
