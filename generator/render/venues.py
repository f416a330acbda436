"""What kind of venue a paper appeared in, guessed from the venue's name.

The paper model keeps one ``venue`` string (an import reads it from ``booktitle`` or
``journal``), but citations need the kind: BibTeX ``@article`` or ``@inproceedings``,
RIS ``JOUR`` or ``CONF``, CSL ``article-journal`` or ``paper-conference``, Highwire
``citation_journal_title`` or ``citation_conference_title``. The rule, in order:

1. no venue: ``None`` (an arXiv id alone makes the paper a preprint, see ``kind``);
2. arXiv, CoRR, bioRxiv, medRxiv, SSRN: ``"preprint"``;
3. a journal word (Journal, Transactions, Letters, Review, Magazine, Annals, Surveys,
   Notices, Communications of, Proceedings of the IEEE / National Academy, IEEE Access,
   IEEE Micro, or an abbreviation of arXiv journal references: J., Phys., Rev., Lett.
   ...): ``"journal"``;
   else a conference word (Proceedings, Conference, Workshop, Symposium, Meeting,
   Findings, Neural Information Processing Systems): ``"conference"``;
4. else a journal acronym (JMLR, TMLR, TPAMI, TACL, TOCS, PVLDB, Nature, Science ...):
   ``"journal"``; else a conference acronym (NeurIPS, ICML, ICLR, ACL, EMNLP, CVPR,
   OSDI, SOSP ...): ``"conference"``. Words go first, so "Conference on Data Science"
   is a conference, not the journal Science;
5. anything else: ``"other"`` (cited as ``@misc`` with ``howpublished``: an unknown
   name is better printed as given than filed under a guessed type).

Words are matched whole and case-insensitively; acronyms may carry a year or a
suffix ("NeurIPS 2023", "ICLR'24", "ACL-IJCNLP").
"""

from __future__ import annotations

import re
from typing import Literal

from generator.catalogue.model import Paper

Kind = Literal["journal", "conference", "preprint", "other"]

PREPRINT = frozenset({"arxiv", "corr", "biorxiv", "medrxiv", "ssrn", "preprint"})
JOURNAL_WORDS = re.compile(
    r"\b(journal|transactions|trans\.|letters|review|magazine|annals|communications of"
    r"|surveys|notices|proceedings of the ieee|proceedings of the national academy"
    # journals named without a journal word (IEEE Micro is a magazine, MICRO a conference)
    r"|ieee access|ieee micro"
    # abbreviations of arXiv journal references ("Phys. Rev. Lett. 99, 2007", "J. Mach.")
    r"|j\.|lett\.|rev\.|phys\.|ann\.|commun\.|natl\.|astrophys\.|nucl\.|chem\.)(?!\w)",
    re.IGNORECASE,
)
CONFERENCE_WORDS = re.compile(
    r"\b(proceedings|proc\.|conference|conf\.|workshop|symposium|meeting|findings|congress"
    r"|neural information processing systems)(?!\w)",
    re.IGNORECASE,
)
JOURNAL_ACRONYMS = frozenset(
    "jmlr tmlr tpami pami tacl tocs tods tois toplas tog tkde tnnls tit tsp tse tpds "
    "pvldb vldbj ijcv jair cacm pnas nature science cell plos neurocomputing "
    "patterns mlj jasa aoas jhep jcap mnras apj prl prd prb pre".split()
)
CONFERENCE_ACRONYMS = frozenset(
    "neurips nips icml iclr colm aistats uai colt aaai ijcai kdd www wsdm sigir cikm recsys "
    "acl emnlp naacl eacl aacl coling conll lrec interspeech icassp "
    "cvpr iccv eccv wacv bmvc siggraph 3dv "
    "osdi sosp nsdi eurosys asplos isca micro hpca mlsys atc fast sc ppopp pldi popl oopsla "
    "sigmod vldb icde sigcomm mobicom socc hotos hotnets usenix "
    "chi uist cscw icse fse ase issta ccs sp ndss "
    "aamas icaps ecir ics midl mm sem "
    "corl rss icra iros".split()
)
_WORD = re.compile(r"[a-z]+")


def venue_kind(venue: str | None) -> Kind | None:
    """The kind of ``venue`` by the rule in the module docstring; None without one."""
    if not venue or not venue.strip():
        return None
    words = set(_WORD.findall(venue.lower()))
    if words & PREPRINT:
        return "preprint"
    # Words before acronyms: "Conference on Data Science" is not the journal Science.
    if JOURNAL_WORDS.search(venue):
        return "journal"
    if CONFERENCE_WORDS.search(venue):
        return "conference"
    if words & JOURNAL_ACRONYMS:
        return "journal"
    if words & CONFERENCE_ACRONYMS:
        return "conference"
    return "other"


def kind(paper: Paper) -> Kind | None:
    """The paper's kind: its venue's, else ``"preprint"`` for an arXiv paper."""
    found = venue_kind(paper.venue)
    if found is None and paper.arxiv:
        return "preprint"
    return found


def arxiv_archive(arxiv_id: str) -> str | None:
    """The archive named inside an old-style id (``hep-th/9901001`` -> ``hep-th``).

    New-style ids (``2401.09670``) do not name their category and the catalogue does
    not store it, so BibTeX's ``primaryClass`` is written only for old-style ids.
    """
    return arxiv_id.split("/", 1)[0] if "/" in arxiv_id else None
